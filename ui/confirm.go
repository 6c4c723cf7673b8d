package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/keyrack/keyrack/model"
)

// confirmPane asks before an action that cannot be undone (delete, expire).
// The focus starts on Cancel, so that a stray enter does nothing harmful.
type confirmPane struct {
	env      *env
	title    string
	body     []string
	action   string
	onYes    tea.Cmd
	focusYes bool
}

func newDeleteConfirm(e *env, k model.Key, now time.Time, active int) *confirmPane {
	body := []string{
		"Last used: " + lastUse(k, now),
		"Applications using it are refused at once. This cannot be undone.",
	}
	if k.ExpiresAt.IsZero() && active <= 1 {
		body = append(body, "", e.st.warn.Render("⚠ This is the last active key: storage will refuse to delete it."))
	}
	return &confirmPane{env: e, title: "Delete " + k.DisplayName() + " (" + model.Printable(k.ID) + ")?",
		body: body, action: "Delete", onYes: e.delete(k)}
}

func newExpireConfirm(e *env, k model.Key, now time.Time) *confirmPane {
	body := []string{
		fmt.Sprintf("Its grace period runs until %s (%s).", stamp(k.ExpiresAt, now), until(k.ExpiresAt, now)),
		"Last used: " + lastUse(k, now),
		"It stops working at once; its replacement keeps working.",
	}
	return &confirmPane{env: e, title: "Expire " + k.DisplayName() + " (" + model.Printable(k.ID) + ") now?",
		body: body, action: "Expire now", onYes: e.expire(k)}
}

func (c *confirmPane) update(msg tea.Msg) (pane, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return c, nil
	}
	keys := c.env.keys
	switch {
	case key.Matches(k, keys.Yes):
		return nil, c.onYes
	case key.Matches(k, keys.No, keys.Back, keys.Quit):
		return nil, nil
	case key.Matches(k, keys.Switch):
		c.focusYes = !c.focusYes
	case key.Matches(k, keys.Enter):
		if c.focusYes {
			return nil, c.onYes
		}
		return nil, nil
	}
	return c, nil
}

func (c *confirmPane) view(width, height int, _ time.Time) string {
	st := c.env.st
	text := append([]string{st.boxTitle.Render(c.title), ""}, c.body...)
	text = append(text, "", button(st, c.action, c.focusYes)+"  "+button(st, "Cancel", !c.focusYes))
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (c *confirmPane) help() []key.Binding {
	k := c.env.keys
	focused := "cancel"
	if c.focusYes {
		focused = strings.ToLower(c.action)
	}
	return []key.Binding{withHelp(k.Yes, "y", strings.ToLower(c.action)), withHelp(k.Back, "n/esc", "cancel"),
		withHelp(k.Enter, "enter", focused), k.Switch}
}

func button(st styles, label string, focused bool) string {
	switch {
	case focused && st.ascii:
		return "[ " + label + " ]"
	case focused:
		return st.selected.Render("  " + label + "  ")
	}
	return "  " + label + "  "
}

// dialog draws content in a bordered box centred in the body. Text wraps
// to the box, and the box never exceeds the body.
func dialog(st styles, content string, width, height int) string {
	box := st.box.Width(dialogInner(width) + 2).Render(content)
	return st.r.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}

// dialogInner is the width of a dialog's text: at most 72 columns with
// the border, never wider than the body.
func dialogInner(width int) int { return max(8, min(width-2, 72)-4) }
