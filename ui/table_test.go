package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
)

func TestClearingTheFilterKeepsTheCursorOnTheSameKey(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	h := newHarness(t, newMemStore(2000, now), clock.NewFake(now), 80, 24)
	h.press("/", "01500", "enter")
	if k, _ := h.m.table.selected(); k.Name != "service 01500" {
		t.Fatalf("filtered selection %q", k.Name)
	}
	h.press("esc") // clears the filter
	if !strings.Contains(h.screen(), "> service 01500") {
		t.Fatalf("the cursor row should be on screen after clearing:\n%s", h.screen())
	}
	h.press("j")
	if k, _ := h.m.table.selected(); k.Name != "service 01501" {
		t.Fatalf("j after clearing selected %q, want service 01501", k.Name)
	}
}
