package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// foundTokenMsg answers a token pasted into the filter: its key, if any.
type foundTokenMsg struct {
	key   model.Key
	found bool
	err   error
}

// pastedToken returns the credential the filter holds, if it is one: a
// pasted token is looked up by its hash, not matched against names, and
// leaves the screen at once.
func pastedToken(filter string) (model.Token, bool) {
	tok, err := model.ParseCredential(strings.TrimSpace(filter))
	return tok, err == nil
}

// findToken looks a token up in storage.
func (e *env) findToken(tok model.Token) tea.Cmd {
	return func() tea.Msg {
		k, ok, err := e.store.FindToken(tok)
		return foundTokenMsg{k, ok && !k.PastExpiry(e.clock.Now()), err}
	}
}

// foundToken jumps to the key of a pasted token, or says none has it.
func (m *Model) foundToken(msg foundTokenMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.fail(msg.err)
	case !msg.found:
		m.fail(fmt.Errorf("no key has the pasted token (never issued here, expired or deleted)"))
	default:
		m.setStatus(fmt.Sprintf("the pasted token is %s (id %s, %s)", msg.key.DisplayName(), msg.key.ID, msg.key.Status(m.now)))
		return m.table.selectID(msg.key.ID)
	}
	return nil
}
