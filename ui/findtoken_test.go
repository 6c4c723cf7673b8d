package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

func TestPastingATokenInTheFilterJumpsToItsKey(t *testing.T) {
	s, clk, keys := seedStore(t)
	staging := keys["staging"]
	tok, err := s.Reveal("test", staging.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.press("/")
	h.deliver(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(tok.Reveal()), Paste: true})
	h.waitFor("the cursor on the pasted token's key", func() bool {
		sel, ok := h.m.table.selected()
		return ok && sel.ID == staging.ID
	})
	got := h.screen()
	if strings.Contains(got, tok.Reveal()) {
		t.Fatal("the pasted token stays on screen")
	}
	if !strings.Contains(got, "the pasted token is Staging") {
		t.Fatalf("status line:\n%s", got)
	}
	checkFrame(t, got, 80, 24)
	golden(t, "paste_token_80x24", got)

	other, err := model.GenerateToken(strings.NewReader(strings.Repeat("z", 64)))
	if err != nil {
		t.Fatal(err)
	}
	h.press("/")
	h.deliver(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(other.Reveal()), Paste: true})
	h.waitFor("the refusal", func() bool { return strings.Contains(h.screen(), "no key has the pasted token") })
}
