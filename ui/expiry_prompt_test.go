package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestCreateFlowSetsAnExpiry(t *testing.T) {
	s, clk := openStore(t)
	clk.Advance(time.Second) // after Default: keys created at one instant are ordered by their random ids
	h := newHarness(t, s, clk, 80, 24)
	h.press("n", "Temp", "enter", "soon", "enter")
	h.wantScreen("invalid duration")
	h.press("ctrl+u", "90d")
	golden(t, "create_expiry_80x24", h.screen())
	h.press("enter", "enter")
	h.waitFor("the key created", func() bool { return h.m.table.total() == 2 })
	if k := h.m.table.keys.At(1); !strings.Contains(k.Name, "Temp") || !k.ExpiresAt.Equal(clk.Now().Add(90*model.Day)) {
		t.Fatalf("created %+v", k)
	}
}
