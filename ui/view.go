package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

// View renders the whole screen, exactly width × height.
func (m *Model) View() string {
	w, h := m.width, m.height
	out := make([]string, 0, h)
	out = append(out, m.header(w))
	if m.pane != nil {
		body := lines(m.pane.view(w, m.bodyHeight(), m.now))
		for len(body) < m.bodyHeight() {
			body = append(body, "")
		}
		out = append(out, body[:m.bodyHeight()]...)
	} else {
		out = append(out, m.tableScreen(w)...)
	}
	out = append(out, m.statusLine(w), m.helpBar(w))
	return fit(out, w, h)
}

// header names the organization and the view, counts keys and waiting
// mail, and says the table's order. When all does not fit, the order goes
// first, then the key count: the mail count asks for action (an SMTP
// server), the keys are on screen anyway.
func (m *Model) header(w int) string {
	st := m.env.st
	section := "API keys"
	if s, ok := m.pane.(sectioned); ok {
		section = s.section()
	}
	left := st.header.Render(m.org) + st.dim.Render(" › ") + st.title.Render("Developers › "+section)
	keys := model.Count(m.table.total(), "key", "keys")
	if !m.table.loaded() {
		keys = "loading…"
	} else if life := m.table.life; life != lifeAll {
		keys = fmt.Sprintf("%s: %d of %s", life, m.table.len(), keys)
	}
	sorted := keys + " · by " + m.table.order.String()
	candidates := []string{sorted, keys}
	if m.waiting > 0 {
		mails := model.Count(m.waiting, "mail", "mails") + " waiting"
		candidates = []string{sorted + " · " + mails, keys + " · " + mails, mails}
	}
	for _, right := range candidates {
		if ansi.StringWidth(left)+ansi.StringWidth(right)+2 <= w {
			return spread(left, st.dim.Render(right), w)
		}
	}
	return clip(left, w)
}

// tableScreen is the key table, a rule with the scroll position and the
// details of the focused key.
func (m *Model) tableScreen(w int) []string {
	st := m.env.st
	rows, details := m.tableLayout()
	body := m.table.view(st, w, m.now, m.reveal)
	for len(body) < rows+1 {
		body = append(body, "")
	}
	pos := ""
	if n := m.table.len(); n > 0 {
		pos = position(m.table.offset, min(m.table.offset+rows, n), n)
	}
	switch working := m.table.working(); {
	case working != "" && pos == "":
		pos = " " + working + " "
	case working != "":
		pos = " " + working + " ·" + pos
	case m.table.filter != "" && pos != "":
		pos = fmt.Sprintf(" filter %q ·%s", model.Printable(m.table.filter), pos)
	}
	body = append(body, positionRule(st, pos, w))
	if k, ok := m.table.selected(); ok {
		body = append(body, detailsView(st, k, m.usage, m.now, m.reveal, w, details)...)
	}
	return body
}

// listNote is what a list of n items shows in place of them, or above
// the ones it kept when a reload failed: the error, that it is loading, or
// that it is empty.
func listNote(st styles, err error, loaded bool, n int, loading, empty string) []string {
	switch {
	case err != nil:
		return []string{st.err.Render("✗ " + model.Printable(err.Error()))}
	case !loaded:
		return []string{st.dim.Render(loading)}
	case n == 0:
		return []string{st.dim.Render(empty)}
	}
	return nil
}

// positionRule is the rule under a list, with the scroll position pos near
// its right end.
func positionRule(st styles, pos string, width int) string {
	pos = clip(pos, max(0, width-4))
	return st.rule.Render(strings.Repeat("─", max(0, width-ansi.StringWidth(pos)-2)) + pos + "──")
}
