package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

// sectioned is a pane that names itself in the header ("Developers ›
// Members"); the others are dialogs over the key table.
type sectioned interface{ section() string }

// pane is a view or dialog that replaces the key table while it is open:
// the rotate picker, the permission matrix, a prompt, a confirmation, the
// audit log, help. A new view is one more type with these three methods.
type pane interface {
	// update gets keys and any message the root does not handle itself
	// (sizes come as the body's size). A nil pane closes it.
	update(msg tea.Msg) (pane, tea.Cmd)
	// view renders the body: at most width × height.
	view(width, height int, now time.Time) string
	// help lists the keys for the help bar.
	help() []key.Binding
}

// Screen rows around the body: the header above, status and help below.
const (
	headerLines = 1
	footerLines = 2
	tableTop    = headerLines + 1 // the first key row, below the column header
)

func (m *Model) bodyHeight() int { return max(1, m.height-headerLines-footerLines) }

// tableLayout splits the body between key rows and the details panel.
func (m *Model) tableLayout() (rows, details int) {
	body := m.bodyHeight()
	details = min(detailsHeight, max(1, body-2-3))
	return max(1, body-2-details), details
}

func (m *Model) visibleRows() int {
	rows, _ := m.tableLayout()
	return rows
}

// open shows p and tells it the body's size.
func (m *Model) open(p pane) tea.Cmd {
	m.pane = p
	return m.resizePane()
}

// resizePane tells the open pane the body's size and the time, so that
// it can lay out its content in Update, before it is drawn.
func (m *Model) resizePane() tea.Cmd {
	return tea.Batch(m.toPane(tickMsg{m.tickGen, m.now}), m.toPane(tea.WindowSizeMsg{Width: m.width, Height: m.bodyHeight()}))
}

func (m *Model) toPane(msg tea.Msg) tea.Cmd {
	if m.pane == nil {
		return nil
	}
	var cmd tea.Cmd
	m.pane, cmd = m.pane.update(msg)
	return cmd
}

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

// header names the organization and the view, and counts keys and
// waiting mail. When all does not fit, the mail count outranks the key
// count: it asks for action (an SMTP server), the keys are on screen anyway.
func (m *Model) header(w int) string {
	st := m.env.st
	section := "API keys"
	if s, ok := m.pane.(sectioned); ok {
		section = s.section()
	}
	left := st.header.Render(m.org) + st.dim.Render(" › ") + st.title.Render("Developers › "+section)
	keys := plural(m.table.total(), "key", "keys")
	if !m.table.loaded() {
		keys = "loading…"
	}
	candidates := []string{keys}
	if m.waiting > 0 {
		mails := plural(m.waiting, "mail", "mails") + " waiting"
		candidates = []string{keys + " · " + mails, mails}
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
		if m.table.filter != "" {
			pos = fmt.Sprintf(" filter %q ·%s", model.Printable(m.table.filter), pos)
		}
	}
	body = append(body, positionRule(st, pos, w))
	if k, ok := m.table.selected(); ok {
		body = append(body, detailsView(st, k, m.now, m.reveal, w, details)...)
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

func (m *Model) statusLine(w int) string {
	st := m.env.st
	switch {
	case m.filtering != nil:
		return m.filtering.View() + st.dim.Render("  enter keeps · esc clears")
	case m.status.err:
		return st.err.Render("✗ " + m.status.text)
	case m.status.copy && m.clip.armed():
		return st.ok.Render(fmt.Sprintf("✓ %s · clears in %d s", m.status.text, seconds(m.clip.until, m.now)))
	case m.status.text != "" && !m.status.copy && m.now.Sub(m.status.at) < statusFade:
		return st.ok.Render("✓ " + m.status.text)
	}
	return ""
}
