package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// clipState tracks the token put in the clipboard, to clear it in time.
type clipState struct {
	gen   int
	text  string // the copied token, kept only until it is cleared
	until time.Time
}

// armed reports whether a copied token still waits to be cleared.
func (c clipState) armed() bool { return c.text != "" }

type (
	copiedMsg struct {
		name, how, text string
		at              time.Time
		err             error
	}
	clipExpiredMsg struct{ gen int }
	clipClearedMsg struct {
		said string
		err  error
	}
)

// copyToken audits the copy in storage and writes the token out; both are
// I/O, so both run here rather than in Update.
func (e *env) copyToken(k model.Key) tea.Cmd {
	return func() tea.Msg {
		tok, err := e.store.Copy(e.actor, k.ID)
		if err != nil {
			return copiedMsg{name: k.DisplayName(), at: e.clock.Now(), err: err}
		}
		how, err := e.clip.copy(tok.Reveal())
		return copiedMsg{k.DisplayName(), how, tok.Reveal(), e.clock.Now(), err}
	}
}

func (e *env) clearClipboard(text string) tea.Cmd {
	return func() tea.Msg {
		said, err := e.clip.clear(text)
		return clipClearedMsg{said, err}
	}
}
