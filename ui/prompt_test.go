package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// namePrompt opens the new-key prompt on a fresh database.
func namePrompt(t *testing.T) *harness {
	s, clk := openStore(t)
	clk.Advance(time.Second) // after Default: keys created at one instant are ordered by their random ids
	h := newHarness(t, s, clk, 80, 24)
	h.press("n")
	h.wantScreen("New API key")
	return h
}

func (h *harness) field() string { return h.m.pane.(*promptPane).field.Value() }

func TestNamePromptRefusesEscapeSequencesVisiblyInsteadOfCleaningThem(t *testing.T) {
	h := namePrompt(t)
	h.press("ok")
	// Pasted text arrives whole; a typed sequence comes as keys with Alt.
	h.deliver(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\x1b[31mred"), Paste: true})
	if h.field() != "ok" || !strings.Contains(h.screen(), "✗ name contains a control character (U+001B)") {
		t.Fatalf("field %q; the paste should be refused with its reason:\n%s", h.field(), h.screen())
	}
	controlFree(t, "the dialog", h.screen())
	h.deliver(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("["), Alt: true})
	if h.field() != "ok" || !strings.Contains(h.screen(), "✗ escape sequences are not allowed") {
		t.Fatalf("field %q after alt+[:\n%s", h.field(), h.screen())
	}
	h.press("!")
	if h.field() != "ok!" || strings.Contains(h.screen(), "✗") {
		t.Fatalf("the next good key should clear the reason:\n%s", h.screen())
	}
}

func TestNamePromptRefusesThe65thCharacterAndBidiControls(t *testing.T) {
	h := namePrompt(t)
	h.press(strings.Repeat("w", 64))
	h.press("x")
	if h.field() != strings.Repeat("w", 64) || !strings.Contains(h.screen(), "at most 64") {
		t.Fatalf("the 65th character: field %d long\n%s", len(h.field()), h.screen())
	}
	if n := strings.Count(h.screen(), "\n"); n != 23 {
		t.Fatalf("the field should stay on one line: %d lines", n+1)
	}
	h.press("ctrl+u", "abc\u202eevil")
	if h.field() != "" || !strings.Contains(h.screen(), "U+202E") {
		t.Fatalf("U+202E accepted: field %q\n%s", h.field(), h.screen())
	}
}

func TestNamePromptScrollsByCellWidthOnOneLine(t *testing.T) {
	h := namePrompt(t)
	h.press(strings.Repeat("漢", 40)) // 80 cells in a 60-cell field
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, "漢") && !strings.Contains(l, "› ") {
			t.Fatalf("the name wrapped to a second line:\n%s", h.screen())
		}
	}
	h.press("enter", "enter", "enter")
	h.waitFor("the key created", func() bool { return h.m.table.total() == 2 })
	if got := h.m.table.keys.At(1).Name; got != strings.Repeat("漢", 40) {
		t.Fatalf("stored %q", got)
	}
}

func TestNamePromptAcceptsEmojiSequences(t *testing.T) {
	h := namePrompt(t)
	const coder = "👩\u200d💻 deploy ✈\ufe0f 👍🏽"
	h.press(coder)
	if h.field() != coder || strings.Contains(h.screen(), "✗") {
		t.Fatalf("field %q:\n%s", h.field(), h.screen())
	}
	h.press("enter", "enter", "enter")
	h.waitFor("the key created", func() bool { return h.m.table.total() == 2 })
	if got := h.m.table.keys.At(1).Name; got != coder {
		t.Fatalf("stored %q", got)
	}
	h.wantScreen(coder)
}
