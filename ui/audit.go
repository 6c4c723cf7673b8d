package ui

import (
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
	pager pager
	width int
	zone  *time.Location // the session's: times read like the rest of the screen
}

type auditLoadedMsg struct {
	entries []model.AuditEntry
	err     error
}

func newAuditView(e *env, now time.Time) *auditView {
	return &auditView{env: e, pager: newPager(e.bindings), zone: now.Location()}
}

func (a *auditView) load() tea.Cmd {
	return func() tea.Msg {
		entries, err := a.env.store.Audit(auditLimit)
		return auditLoadedMsg{entries, err}
	}
}

func (a *auditView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width = msg.Width
		a.pager.resize(msg.Width, msg.Height-1)
		a.render()
		return a, a.opening(a.load)
	case changedMsg:
		return a, a.load()
	case auditLoadedMsg:
		a.finished(msg.err)
		if msg.err == nil {
			a.entries = msg.entries
		}
		a.render()
	case tea.KeyMsg:
		if key.Matches(msg, a.env.bindings.Back, a.env.bindings.Audit, a.env.bindings.Quit) {
			return nil, nil
		}
		a.pager.keypress(a.env.bindings, msg)
	}
	return a, nil
}

// render puts the entries into the pager: two lines each, what happened
// to which key, then who did it.
func (a *auditView) render() {
	st := a.env.st
	out := listNote(st, a.err, a.loaded, len(a.entries), "loading the audit log…", "no records yet")
	for _, e := range a.entries {
		line := e.At.In(a.zone).Format(stampLayout) + "  " + st.key.Render(model.ActionWords(e.Action))
		if e.KeyID != "" {
			line += "  " + model.Key{Name: e.KeyName}.DisplayName() + st.dim.Render(" ("+model.Printable(e.KeyID)+")")
		}
		by := "by " + model.Printable(e.Actor)
		if e.Detail != "" {
			by += " · " + model.Printable(e.Detail)
		}
		out = append(out, clip(line, a.width), st.dim.Render(clip("    "+by, a.width)))
	}
	a.pager.setLines(out)
}

func (a *auditView) view(width, height int, now time.Time) string {
	st := a.env.st
	return spread(st.title.Render("Audit log"), st.dim.Render(a.pager.footer()+"  newest first"), width) + "\n" + a.pager.view()
}

func (a *auditView) help() []key.Binding {
	k := a.env.bindings
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, withHelp(k.Back, "esc", "back")}
}

// section names the view in the header.
func (a *auditView) section() string { return "Audit log" }
