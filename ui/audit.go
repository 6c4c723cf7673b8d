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
	pagerPane[[]model.AuditEntry]
	zone *time.Location // the session's: times read like the rest of the screen
}

func newAuditView(e *env, now time.Time) *auditView {
	a := &auditView{zone: now.Location()}
	a.pagerPane = newPagerPane(e, e.bindings.Audit, a)
	return a
}

func (a *auditView) reader() readFunc[[]model.AuditEntry] {
	store := a.env.store
	return func() ([]model.AuditEntry, error) { return store.Audit(auditLimit) }
}

func (a *auditView) update(msg tea.Msg) (pane, tea.Cmd) { return a.pagerPane.update(msg) }

// lines lays out the entries: two lines each, what happened to which
// key, then who did it.
func (a *auditView) lines() []string {
	st := a.env.st
	out := listNote(st, a.err, a.loaded(), len(a.data), "loading the audit log…", "no records yet")
	for _, e := range a.data {
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
	return out
}

func (a *auditView) view(width, height int, now time.Time) string {
	st := a.env.st
	return spread(st.title.Render("Audit log"), st.dim.Render(a.pager.footer()+"  newest first"), width) + "\n" + a.pager.view()
}

func (a *auditView) help() []key.Binding { return a.env.bindings.pagerHelp() }

// section names the view in the header.
func (a *auditView) section() string { return "Audit log" }
