package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpSection is one column of the help overlay.
type helpSection struct {
	title    string
	bindings []key.Binding
}

// helpSections group every key binding for the help overlay.
func (k keyBindings) helpSections() []helpSection {
	return []helpSection{
		{"Move", []key.Binding{withHelp(k.Up, "↑↓ k j", "up, down"), withHelp(k.PageUp, "pgup pgdn", "page"),
			withHelp(k.Home, "home end", "first, last"), k.Filter, k.Lifecycle, withHelp(k.Sort, "s", "sort")}},
		{"The selected key", []key.Binding{withHelp(k.Reveal, "v", "reveal / hide"), withHelp(k.Copy, "c/y", "copy the token"),
			k.Rotate, withHelp(k.Expire, "x", "expire a rotated key"), k.Permissions, k.Rename, k.Delete, k.Disable,
			withHelp(k.Usage, "u", "usage")}},
		{"Views", []key.Binding{withHelp(k.New, "n", "new key"), withHelp(k.Members, "m", "members"), withHelp(k.Outbox, "o", "mail outbox"),
			withHelp(k.Audit, "a", "audit log"), k.Help, withHelp(k.Back, "esc", "close, back"), k.Quit, k.ForceQuit}},
		{"Permission matrix (p)", []key.Binding{withHelp(k.Switch, "←/→", "Read or Write"), k.Toggle,
			withHelp(k.ToggleRead, "R W", "a whole column"), withHelp(k.All, "a 0", "all, none"),
			k.KeepUsed, withHelp(k.Enter, "enter", "save")}},
		{"Members (m)", []key.Binding{k.AddMember, k.ChangeRole, k.AddSSHKey, k.RemoveSSHKey, k.RemoveMember}},
		{"Mail outbox (o)", []key.Binding{withHelp(k.ReadMail, "enter", "read a mail"), k.RetryMail}},
	}
}

// helpView is the help overlay: the sections side by side in as many
// rows as the width needs; it scrolls only when the screen is too small.
type helpView struct {
	env   *env
	pager pager
}

func newHelpView(e *env) *helpView { return &helpView{env: e, pager: newPager(e.bindings)} }

// layout packs the sections into rows of columns that fit width.
func (h *helpView) layout(width int) []string {
	st := h.env.st
	bar := newHelp(st)
	var rows, row []string
	used := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
	}
	for _, s := range h.env.bindings.helpSections() {
		col := st.boxTitle.Render(s.title) + "\n" + bar.FullHelpView([][]key.Binding{s.bindings})
		w := lipgloss.Width(col) + 3
		if used > 0 && used+w > width {
			flush()
		}
		row = append(row, st.r.NewStyle().Width(w).Render(col))
		used += w
	}
	flush()
	note := "Copies clear after 45 s and on quit; a revealed token hides after 30 s."
	out := strings.Split(strings.Join(rows, "\n\n"), "\n")
	return append(out, strings.Split(ansi.Wrap(st.dim.Render(note), width, ""), "\n")...)
}

func (h *helpView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.pager.resize(msg.Width, msg.Height-1)
		h.pager.setLines(h.layout(msg.Width))
	case tea.KeyMsg:
		if !h.pager.keypress(h.env.bindings, msg) {
			return nil, nil // any other keypress closes help
		}
	}
	return h, nil
}

func (h *helpView) view(width, height int, _ time.Time) string {
	title := spread(h.env.st.title.Render("Keys"), h.env.st.dim.Render(h.pager.footer()), width)
	return title + "\n" + h.pager.view()
}

func (h *helpView) help() []key.Binding {
	return []key.Binding{withHelp(h.env.bindings.Back, "any key", "close")}
}

// section names the overlay in the header.
func (h *helpView) section() string { return "Help" }
