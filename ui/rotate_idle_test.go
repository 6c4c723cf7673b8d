package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestRotatePickerOffersUntilQuiet(t *testing.T) {
	s, clk, keys := seedStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("end", "r", "end", "enter") // Staging; the last choice
	h.waitFor("the until-idle rotation", func() bool {
		k, err := s.Get(keys["staging"].ID)
		return err == nil && k.IdleRetire == 15*time.Minute
	})
	if d, ok := s.IdleDeadline(mustGet(t, s, keys["staging"].ID)); !ok || !d.Equal(clk.Now().Add(15*time.Minute)) {
		t.Fatalf("idle deadline %v", d)
	}
	h.waitFor("the new key selected", func() bool {
		sel, ok := h.m.table.selected()
		return ok && sel.RotatedFrom == keys["staging"].ID
	})
	h.press("up") // the old key, above its replacement
	h.waitFor("the old key's quiet line", func() bool { return strings.Contains(h.screen(), "retires in 15m 0s if quiet") })
}

func mustGet(t *testing.T, s interface {
	Get(string) (model.Key, error)
}, id string) model.Key {
	t.Helper()
	k, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
