package ui

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// status is the line under the table: the result of the last action.
type status struct {
	text string
	err  bool
	copy bool      // a copy message, which counts down to the clipboard clear
	at   time.Time // when it was set: good news fades after statusFade
}

// statusFade is how long a success message stays; errors stay until a keypress.
const statusFade = 10 * time.Second

func (m *Model) setStatus(text string) { m.status = status{text: text, at: m.now} }

// fail shows err in the status line; the dashboard never exits on one.
func (m *Model) fail(err error) { m.status = status{text: model.Printable(err.Error()), err: true} }

// statusLine is the line under the body: the filter being typed, an
// error (until the next keypress), a copy counting down to its clear, or
// the last result (for a while).
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
