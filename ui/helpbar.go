package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// newHelp is bubbles/help styled by the session's renderer: the bar at
// the bottom and the columns of the help overlay.
func newHelp(st styles) help.Model {
	h := help.New()
	h.ShortSeparator = "  "
	h.FullSeparator = "   "
	h.Styles = help.Styles{
		Ellipsis: st.dim, ShortKey: st.key, ShortDesc: st.dim, ShortSeparator: st.dim,
		FullKey: st.key, FullDesc: st.r.NewStyle(), FullSeparator: st.dim,
	}
	return h
}

// tableBindings are the help bar of the key table in priority order (the
// bar cuts from the end with "…"): what to do with the selected key, the
// other views, help and quit, then the rest. A binding that does nothing
// for the selected key is left out; reveal says "hide" while it shows.
func (m *Model) tableBindings() []key.Binding {
	k := m.env.bindings
	sel, ok := m.table.selected()
	expiring := ok && isExpiring(sel, m.now)
	reveal := k.Reveal
	if ok && m.reveal.shows(sel.ID) {
		reveal = withHelp(reveal, "v", "hide")
	}
	return []key.Binding{
		enabled(k.New, true), enabled(reveal, ok), enabled(k.Copy, ok),
		enabled(k.Rotate, ok && !expiring), enabled(k.Expire, expiring),
		k.Members, k.Outbox, k.Audit, k.Help, k.Quit,
		k.Filter, enabled(k.Permissions, ok), enabled(k.Rename, ok), enabled(k.Delete, ok),
		enabled(k.Usage, ok), k.Sort, k.Lifecycle,
	}
}

// helpBar is the bottom line: the open view's or dialog's bindings, or
// the key table's; nothing while the filter is typed (its line says it).
func (m *Model) helpBar(w int) string {
	h := newHelp(m.env.st)
	h.Width = w
	switch {
	case m.pane != nil:
		return h.ShortHelpView(m.pane.help())
	case m.filtering != nil:
		return ""
	}
	return h.ShortHelpView(m.tableBindings())
}
