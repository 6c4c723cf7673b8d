package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/clock"
)

func TestHelpOverlayFits80x24WithoutScrolling(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	h := newHarness(t, newMemStore(4, now), clock.NewFake(now), 80, 24)
	h.deliver(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.press("?")
	screen := h.screen()
	for _, want := range []string{"Move", "The selected key", "Views", "Permission matrix", "Members", "Mail outbox", "Copies clear after 45 s"} {
		if !strings.Contains(screen, want) {
			t.Errorf("help at 80×24 lacks %q", want)
		}
	}
	if strings.Contains(screen, "scroll") {
		t.Errorf("help at 80×24 scrolls:\n%s", screen)
	}
}
