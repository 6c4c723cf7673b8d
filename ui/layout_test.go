package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestEveryScreenFitsFrom60x16To250x80(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(200, now)
	s.keys[5].Name = strings.Repeat("W", 64) // the longest name allowed
	h := newHarness(t, s, clock.NewFake(now), 80, 24)
	h.m.reveal = revealState{id: s.keys[0].ID, token: tokenForTest(t), until: now.Add(time.Minute)}
	long := strings.Repeat("x", 60) + "@" + strings.Repeat("long-domain.", 10) + "example.com"
	key := sshKeyForTest(t, 5, "c")
	s.members = []model.Member{{Email: long, Role: model.RoleManager, SSHKeys: []string{key, key, key, key, key}, AddedAt: now}}
	for i := range 40 {
		s.members = append(s.members, model.Member{Email: fmt.Sprintf("m%02d@example.com", i), Role: model.RoleAdmin, AddedAt: now})
		s.outbox = append(s.outbox, model.Notification{ID: fmt.Sprint(i), Kind: model.NotifyRotationScheduled,
			KeyName: strings.Repeat("W", 64), KeyMasked: "kr_••••••••abcd", Recipients: []string{long, "b@example.com"},
			At: now, ExpiresAt: now.Add(time.Hour), State: model.MailFailed, Attempts: i,
			LastError: strings.Repeat("421 service not available ", 10), NextAttemptAt: now.Add(time.Duration(i) * time.Minute)})
	}
	views := map[string][]string{"main": nil, "rotate": {"r"}, "delete": {"d"}, "permissions": {"p", "end"},
		"rename": {"e"}, "new": {"n"}, "audit": {"a"}, "help": {"?"}, "filter": {"/", "serv"},
		"members": {"m"}, "add member": {"m", "a", long}, "role": {"m", "a", "b@example.com", "enter"},
		"ssh key": {"m", "k", key + key}, "remove member": {"m", "d"},
		"mail": {"o"}, "mail body": {"o", "enter"}}
	for _, size := range [][2]int{{60, 16}, {61, 17}, {72, 20}, {100, 30}, {133, 41}, {250, 80}} {
		h.deliver(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for name, keys := range views {
			for _, k := range keys {
				h.press(k)
				h.waitLoaded()
			}
			for _, scrolled := range []bool{false, true} {
				if scrolled {
					h.press("pgdown")
				}
				checkFrame(t, h.screen(), size[0], size[1])
				if t.Failed() {
					t.Fatalf("%s (scrolled %v) at %dx%d:\n%s", name, scrolled, size[0], size[1], h.screen())
				}
			}
			for range 3 {
				h.press("esc")
			}
			h.m.table.setFilter("")
			if h.m.pane != nil {
				t.Fatalf("%s: esc did not go back to the key table", name)
			}
		}
	}
}

func TestColumnsDropCreatedThenExpiresThenLastUsed(t *testing.T) {
	for _, tc := range []struct {
		width                      int
		expires, lastUsed, created bool
	}{{250, true, true, true}, {80, true, true, true}, {75, true, true, true}, {74, true, true, false},
		{63, true, true, false}, {62, false, true, false}, {51, false, true, false}, {50, false, false, false}} {
		c := columnsFor(tc.width, tokenWidth)
		if (c.expires > 0) != tc.expires || (c.lastUsed > 0) != tc.lastUsed || (c.created > 0) != tc.created {
			t.Errorf("width %d: %+v", tc.width, c)
		}
		if c.used()+c.name != tc.width {
			t.Errorf("width %d: the table is %d wide", tc.width, c.used()+c.name)
		}
	}
}

func TestHoverHighlightsButKeysAndDetailsStayWithTheCursor(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(5, now)
	h := newHarness(t, s, clock.NewFake(now), 80, 24)
	h.deliver(tea.MouseMsg{X: 5, Y: tableTop + 3, Action: tea.MouseActionMotion})
	if h.m.table.hover != 3 || h.m.table.cursor != 0 {
		t.Fatalf("hover %d, cursor %d: hover should highlight row 3 only", h.m.table.hover, h.m.table.cursor)
	}
	if !strings.Contains(h.screen(), "service 00000  id") {
		t.Fatalf("details should describe the cursor row, which keys act on:\n%s", h.screen())
	}
	h.press("d")
	h.wantScreen("Delete service 00000")
	h.press("esc")
	h.deliver(tea.MouseMsg{X: 5, Y: tableTop + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if k, _ := h.m.table.selected(); k.Name != "service 00002" || !strings.Contains(h.screen(), "service 00002  id") {
		t.Fatalf("click selected %q:\n%s", k.Name, h.screen())
	}
}

func TestCursorScrollsThroughManyKeys(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	h := newHarness(t, newMemStore(1000, now), clock.NewFake(now), 60, 16)
	h.press("end")
	if !strings.Contains(h.screen(), "> service 00999") || !strings.Contains(h.screen(), "of 1,000") {
		t.Fatalf("end:\n%s", h.screen())
	}
	h.press("home", "pgdown", "down")
	rows := h.m.visibleRows()
	if h.m.table.cursor != rows+1 {
		t.Fatalf("cursor %d after pgdown+down, want %d", h.m.table.cursor, rows+1)
	}
	if !strings.Contains(h.screen(), fmt.Sprintf("> service %05d", rows+1)) {
		t.Fatalf("cursor row not on screen:\n%s", h.screen())
	}
}

func TestStaleTicksAreIgnored(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("v")
	h.waitFor("reveal", func() bool { return h.m.reveal.id != "" })
	gen := h.m.reveal.gen
	h.press("v", "v") // hide, reveal again: the first timer is now stale
	h.waitFor("second reveal", func() bool { return h.m.reveal.gen > gen+1 })
	h.deliver(hideMsg{gen: gen, at: clk.Now()})
	if h.m.reveal.id == "" {
		t.Fatal("a stale hide timer hid the token")
	}
	before := h.m.now
	h.deliver(tickMsg{gen: h.m.tickGen - 1, at: before.Add(time.Hour)})
	if !h.m.now.Equal(before) {
		t.Fatal("a stale tick moved the clock")
	}
}

// TestRandomKeysNeverPanicOrOverflow presses a long fixed pseudo-random
// sequence of keys on a real database at several sizes.
func TestRandomKeysNeverPanicOrOverflow(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	keys := []string{"n", "v", "c", "y", "r", "x", "p", "e", "d", "a", "/", "?", "m", "o", "j", "k",
		"enter", "esc", "space", "down", "up", "left", "right", "R", "W", "0", "1", "3", "tab", "end", "home", "pgdown", "z"}
	sizes := [][2]int{{60, 16}, {80, 24}, {250, 80}, {61, 19}}
	seed := uint32(7)
	for i := range 3000 {
		seed = seed*1664525 + 1013904223
		k := keys[int(seed>>8)%len(keys)]
		if k == "q" {
			continue
		}
		h.press(k)
		for drained := false; !drained; {
			select {
			case msg := <-h.msgs:
				h.deliver(msg)
			default:
				drained = true
			}
		}
		if i%100 == 0 {
			sz := sizes[(i/100)%len(sizes)]
			h.deliver(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		}
		checkFrame(t, h.screen(), h.m.width, h.m.height)
		if t.Failed() {
			t.Fatalf("after key %d (%q):\n%s", i, k, h.screen())
		}
	}
	audit, _ := s.Audit(0)
	t.Logf("%d keys left, %d audit records", len(mustKeys(t, s)), len(audit))
	if len(mustKeys(t, s)) == 0 {
		t.Fatal("no key left: the invariant broke")
	}
}

func TestBeforeTheFirstListTheScreenSaysLoadingNotEmpty(t *testing.T) {
	st, clk := openStore(t)
	m := New(Options{Store: FromStorage(st), Clock: clk, Renderer: asciiRenderer(), Clipboard: ClipboardOSC52,
		Output: &testkit.Buffer{}, Width: 80, Height: 24})
	t.Cleanup(m.shutdown)
	screen := m.View()
	if !strings.Contains(screen, "loading keys…") || strings.Contains(screen, "no keys") || strings.Contains(screen, "0 keys") {
		t.Fatalf("screen before the keys arrive:\n%s", screen)
	}
}
