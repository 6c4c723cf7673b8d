package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// helpSection is one group of bindings in the full help.
type helpSection struct {
	title    string
	bindings []key.Binding
}

// helpView lists every key of the dashboard.
type helpView struct {
	env    *env
	scroll scroller
}

func newHelpView(e *env) *helpView { return &helpView{env: e} }

func (h *helpView) lines() []string {
	st := h.env.st
	var out []string
	for _, s := range h.env.keys.helpSections() {
		out = append(out, st.boxTitle.Render(s.title))
		for _, b := range s.bindings {
			out = append(out, "  "+st.key.Render(fmt.Sprintf("%-10s", b.Help().Key))+" "+b.Help().Desc)
		}
	}
	return append(out, "", st.dim.Render("Copies clear themselves after 45 s and on quit; a revealed token hides after 30 s."))
}

func (h *helpView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.scroll.height = msg.Height
	case tea.KeyMsg:
		if !h.scroll.key(h.env.keys, msg) {
			return nil, nil // any other key closes help
		}
	}
	return h, nil
}

func (h *helpView) view(width, height int, _ time.Time) string {
	all := h.lines()
	h.scroll.total = len(all)
	from, to, footer := h.scroll.window()
	out := append([]string{h.env.st.title.Render("Help")}, all[from:to]...)
	return strings.Join(append(out, h.env.st.dim.Render(footer)), "\n")
}

func (h *helpView) help() []key.Binding {
	back := h.env.keys.Back
	back.SetHelp("esc/any key", "close")
	return []key.Binding{h.env.keys.Up, h.env.keys.Down, back}
}
