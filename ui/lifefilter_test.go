package ui

import (
	"strings"
	"testing"
)

func TestFCyclesLifecycleFiltersWithCountsInTheHeader(t *testing.T) {
	s, clk, keys := seedStore(t)
	if _, err := s.Disable("test", keys["staging"].ID); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.waitLoaded()
	want := []struct {
		header string
		rows   int
	}{{"expiring: 1 of 4 keys", 1}, {"disabled: 1 of 4 keys", 1}, {"never used: 3 of 4 keys", 3}, {"idle > 30 d: 0 of 4 keys", 0}, {"4 keys", 4}}
	for _, w := range want {
		h.press("f")
		head := strings.SplitN(h.screen(), "\n", 2)[0]
		if !strings.Contains(head, w.header) || h.m.table.len() != w.rows {
			t.Fatalf("header %q with %d rows, want %q with %d", head, h.m.table.len(), w.header, w.rows)
		}
		if w.header == "disabled: 1 of 4 keys" {
			golden(t, "filter_disabled_80x24", h.screen())
		}
	}
}
