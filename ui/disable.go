package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// disabledMark precedes a disabled key's name in the table.
const disabledMark = "⊘ "

// toggleDisabled is D: disable an enabled key at once (it answers 401 at
// /auth), or enable a disabled one. The last active key is refused by
// storage, and the refusal shows in the status line.
func (e *env) toggleDisabled(k model.Key) tea.Cmd {
	if k.Disabled {
		return e.act("enabled "+k.DisplayName()+": it works again", func() error {
			_, err := e.store.Enable(e.actor, k.ID)
			return err
		})
	}
	return e.act("disabled "+k.DisplayName()+": it no longer works until enabled (D)", func() error {
		_, err := e.store.Disable(e.actor, k.ID)
		return err
	})
}
