package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// recordUsage stores what /auth would have counted for key id: per hour
// back from now (0 = the current hour), allowed and refused requests on
// one resource and mode.
func recordUsage(t testing.TB, s *storage.Store, now time.Time, id, resource string, mode model.Access, perHour map[int][2]uint32) {
	t.Helper()
	res, err := model.LookupResource(resource)
	if err != nil {
		t.Fatal(err)
	}
	var hours []model.UsageHour
	for back, n := range perHour {
		h := model.UsageHour{KeyID: id, Hour: now.Truncate(time.Hour).Add(-time.Duration(back) * time.Hour)}
		for range n[0] {
			h.Count(res, mode, true, true)
		}
		for range n[1] {
			h.Count(res, mode, true, false)
		}
		hours = append(hours, h)
	}
	if err := s.RecordUsage(hours); err != nil {
		t.Fatal(err)
	}
}

// seedUsage gives Default a day of traffic (reads of customers, a few
// writes refused) and Staging reads of invoices ten days ago.
func seedUsage(t testing.TB, s *storage.Store, now time.Time, keys map[string]model.Key) {
	t.Helper()
	recordUsage(t, s, now, keys["default"].ID, "customer", model.Read,
		map[int][2]uint32{0: {120, 0}, 1: {900, 0}, 2: {600, 0}, 5: {40, 0}, 9: {3, 0}, 20: {300, 0}, 23: {10, 0}, 30: {5000, 0}})
	recordUsage(t, s, now, keys["default"].ID, "invoice", model.Write, map[int][2]uint32{1: {0, 12}})
	recordUsage(t, s, now, keys["staging"].ID, "invoice", model.Read, map[int][2]uint32{240: {7, 0}})
}

func TestSparklineScalesToTheBusiestCell(t *testing.T) {
	tests := []struct {
		counts []uint64
		want   string
	}{
		{[]uint64{0, 0, 0}, "▁▁▁"},
		{[]uint64{0, 1, 0}, "▁█▁"},
		{[]uint64{0, 1, 1000, 500, 7}, "▁▂█▅▂"},
		{[]uint64{7, 6, 5, 4, 3, 2, 1, 0}, "█▇▆▅▄▃▂▁"},
	}
	for _, tt := range tests {
		if got := sparkline(tt.counts); got != tt.want {
			t.Errorf("sparkline(%v) = %q, want %q", tt.counts, got, tt.want)
		}
	}
}

func TestDetailsDrawTheLast24HoursWithTotalAndRefused(t *testing.T) {
	s, clk, keys := seedStore(t)
	seedUsage(t, s, clk.Now(), keys)
	h := newHarness(t, s, clk, 80, 24)
	// 24 cells, oldest first: 10 at 23 h ago, 300 at 20 h, 3, 40, 600, 912 an
	// hour ago (12 of them refused), 120 now; the 5,000 of 30 h ago are
	// outside the window.
	want := "Usage 24 h  ▂▁▁▄▁▁▁▁▁▁▁▁▁▁▂▁▁▁▂▁▁▆█▂  1,985 requests · 12 refused"
	if !strings.Contains(h.screen(), want) {
		t.Fatalf("details lack %q:\n%s", want, h.screen())
	}
	// serve's next flush is a commit: the panel reads the counts again.
	recordUsage(t, s, clk.Now(), keys["default"].ID, "customer", model.Read, map[int][2]uint32{0: {15, 0}})
	h.wantScreen("2,000 requests · 12 refused")
	// Another key's panel shows its own traffic.
	h.selectKey(keys["staging"].ID)
	h.wantScreen("Usage 24 h  no requests")
}

func TestGoldenSparkline(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 16}} {
		name := fmt.Sprintf("sparkline_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, keys := seedStore(t)
			seedUsage(t, s, clk.Now(), keys)
			h := newHarness(t, s, clk, size[0], size[1])
			h.wantGolden(name, size[0], size[1])
		})
	}
}

// TestQuietLineCountsFromTheInMemorySighting: an until-idle rotation's old
// key is seen by /auth; the panel counts down from that sighting before
// any flush writes it.
func TestQuietLineCountsFromTheInMemorySighting(t *testing.T) {
	s, clk, keys := seedStore(t)
	var mu sync.Mutex
	seen := map[string]time.Time{}
	s.SetLastSeen(func(id string) time.Time { mu.Lock(); defer mu.Unlock(); return seen[id] })
	if _, _, err := s.RotateUntilIdle("bob@example.com", keys["staging"].ID, 15*time.Minute, 7*model.Day); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.selectKey(keys["staging"].ID)
	h.wantScreen("last seen never; retires in 15m 0s if quiet")
	h.advance(5 * time.Minute)
	mu.Lock()
	seen[keys["staging"].ID] = clk.Now() // /auth saw it, not yet flushed
	mu.Unlock()
	h.advance(10 * time.Second)
	h.wantScreen("last seen 10 s ago; retires in 14m 50s if quiet")
	if k := mustGet(t, s, keys["staging"].ID); !k.LastUsedAt.IsZero() {
		t.Fatalf("the sighting was written (%v): the test needs it in memory only", k.LastUsedAt)
	}
}

func TestUOpensTheUsageViewAndEscReturns(t *testing.T) {
	s, clk, keys := seedStore(t)
	seedUsage(t, s, clk.Now(), keys)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("u")
	screen := h.screen()
	// Its 7 days include the 5,000 requests of 30 h ago.
	for _, want := range []string{"Developers › Usage", "Usage of Default", "6,985 requests · 6,973 allowed · 12 refused",
		"customer                  read       6,973          0", "invoice                   write          0         12",
		"2026-03-14 08:00:00 UTC          900         12"} {
		if !strings.Contains(screen, want) {
			t.Errorf("usage view lacks %q:\n%s", want, screen)
		}
	}
	h.press("esc")
	if h.m.pane != nil || !strings.Contains(h.screen(), "Developers › API keys") {
		t.Fatalf("esc did not return to the key table:\n%s", h.screen())
	}
}

func TestGoldenUsageView(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 16}, {120, 35}} {
		name := fmt.Sprintf("usage_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, keys := seedStore(t)
			seedUsage(t, s, clk.Now(), keys)
			h := newHarness(t, s, clk, size[0], size[1])
			h.pressLoaded("u")
			h.wantGolden(name, size[0], size[1])
		})
	}
}
