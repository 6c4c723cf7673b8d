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
// Without an action (onYes nil) it only explains why nothing can be done.
type confirmPane struct {
	env      *env
	title    string
	body     []string
	action   string
	onYes    tea.Cmd
	focusYes bool
	back     pane      // where no and esc return to: nil for the key table
	key      model.Key // the API key it is about, if any: the dialog closes when it goes
}

func (c *confirmPane) subject() model.Key { return c.key }

func newDeleteConfirm(e *env, k model.Key, now time.Time, lastActive bool) *confirmPane {
	name := k.DisplayName() + " (" + model.Printable(k.ID) + ")"
	if lastActive {
		return &confirmPane{env: e, key: k, title: "Cannot delete " + name, body: []string{
			e.st.warn.Render("⚠ It is the last active key: at least one must remain."),
			"Create (n) or rotate (r) another key first; then delete this one.",
			"Last used: " + lastUse(k, now),
		}}
	}
	body := []string{
		"Last used: " + lastUse(k, now),
		"Applications using it are refused at once. This cannot be undone.",
	}
	return &confirmPane{env: e, key: k, title: "Delete " + name + "?", body: body, action: "Delete", onYes: e.delete(k)}
}

func newExpireConfirm(e *env, k model.Key, now time.Time) *confirmPane {
	body := []string{
		fmt.Sprintf("Its grace period runs until %s (%s).", stamp(k.ExpiresAt, now), until(k.ExpiresAt, now)),
		"Last used: " + lastUse(k, now),
		"It stops working at once; its replacement keeps working.",
	}
	return &confirmPane{env: e, key: k, title: "Expire " + k.DisplayName() + " (" + model.Printable(k.ID) + ") now?",
		body: body, action: "Expire now", onYes: e.expire(k)}
}

func (c *confirmPane) update(msg tea.Msg) (pane, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return c, nil
	}
	keys := c.env.bindings
	switch {
	case c.onYes == nil:
		if key.Matches(k, keys.Enter, keys.Back, keys.Quit) {
			return c.back, nil
		}
	case key.Matches(k, keys.Yes):
		return nil, c.onYes
	case key.Matches(k, keys.No, keys.Back, keys.Quit):
		return c.back, nil
	case key.Matches(k, keys.Switch):
		c.focusYes = !c.focusYes
	case key.Matches(k, keys.Enter):
		if c.focusYes {
			return nil, c.onYes
		}
		return c.back, nil
	}
	return c, nil
}

func (c *confirmPane) view(width, height int, _ time.Time) string {
	st := c.env.st
	text := append([]string{st.boxTitle.Render(c.title), ""}, c.body...)
	if c.onYes == nil {
		text = append(text, "", button(st, "OK", true))
	} else {
		text = append(text, "", button(st, c.action, c.focusYes)+"  "+button(st, "Cancel", !c.focusYes))
	}
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (c *confirmPane) help() []key.Binding {
	k := c.env.bindings
	if c.onYes == nil {
		return []key.Binding{withHelp(k.Enter, "enter/esc", "close")}
	}
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
