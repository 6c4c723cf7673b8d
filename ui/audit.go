package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// auditLimit is how many records the audit view reads: newest first.
const auditLimit = 1000

// auditView shows the audit log, reloaded on every change in storage.
type auditView struct {
	env     *env
	entries []model.AuditEntry
	loadState
	scroll scroller
}

type auditLoadedMsg struct {
	entries []model.AuditEntry
	err     error
}

func newAuditView(e *env) *auditView { return &auditView{env: e, scroll: scroller{per: 2}} }

func (a *auditView) load() tea.Cmd {
	return func() tea.Msg {
		entries, err := a.env.store.Audit(auditLimit)
		return auditLoadedMsg{entries, err}
	}
}

func (a *auditView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.scroll.height = msg.Height
		return a, a.opening(a.load)
	case changedMsg:
		return a, a.load()
	case auditLoadedMsg:
		a.entries = msg.entries
		a.finished(msg.err)
		a.scroll.total = len(a.entries)
	case tea.KeyMsg:
		if key.Matches(msg, a.env.keys.Back, a.env.keys.Audit, a.env.keys.Quit) {
			return nil, nil
		}
		a.scroll.key(a.env.keys, msg)
	}
	return a, nil
}

func (a *auditView) view(width, height int, now time.Time) string {
	st := a.env.st
	out := []string{spread(st.title.Render("Audit log"), st.dim.Render("newest first"), width)}
	if a.err != nil {
		return strings.Join(append(out, st.err.Render("✗ "+model.Printable(a.err.Error()))), "\n")
	}
	from, to, footer := a.scroll.window()
	for _, e := range a.entries[from:to] {
		subject := ""
		if e.KeyID != "" {
			subject = model.Key{Name: e.KeyName}.DisplayName() + " (" + model.Printable(e.KeyID) + ")"
		}
		by := "                by " + model.Printable(e.Actor)
		if e.Detail != "" {
			by += " · " + model.Printable(e.Detail)
		}
		out = append(out,
			fmt.Sprintf("%s  %s  %s", e.At.In(now.Location()).Format("01-02 15:04:05"), st.key.Render(model.Printable(e.Action)), subject),
			st.dim.Render(by))
	}
	out = append(out, listNote(st, nil, a.loaded, len(a.entries), "loading the audit log…", "no records yet")...)
	return strings.Join(append(out, st.dim.Render(footer)), "\n")
}

func (a *auditView) help() []key.Binding {
	back := a.env.keys.Back
	back.SetHelp("esc", "back")
	return []key.Binding{a.env.keys.Up, a.env.keys.Down, a.env.keys.PageUp, a.env.keys.PageDown, back}
}
