package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
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

func TestRotatedKeyFollowsTheKeyItReplaced(t *testing.T) {
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	k := func(id, from string, min int) model.Key {
		return model.Key{ID: id, Name: id, RotatedFrom: from, CreatedAt: at.Add(time.Duration(min) * time.Minute)}
	}
	// a was rotated to c, c to e; b's old key is gone; d and f form a cycle.
	l := newKeySlice([]model.Key{k("a", "", 0), k("b", "gone", 1), k("c", "a", 2), k("d", "f", 3), k("e", "c", 4), k("f", "d", 5)})
	var got []string
	for i := range l.Len() {
		got = append(got, l.At(i).ID)
		if j, ok := l.Find(l.At(i).ID); !ok || j != i {
			t.Fatalf("Find(%s) = %d, %v", l.At(i).ID, j, ok)
		}
	}
	if strings.Join(got, " ") != "a c e b d f" {
		t.Fatalf("order %v, want a c e b d f", got)
	}
}
