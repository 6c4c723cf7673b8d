package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/muesli/termenv"
)

// seedStore holds four keys: Default (used 2½ minutes ago), a rotated
// "Billing worker" whose old key expires in 24 h, its replacement, and a
// read-only "Staging" key. The clock stands 5 minutes after t0.
func seedStore(t testing.TB) (*storage.Store, *clock.Fake, map[string]model.Key) {
	t.Helper()
	s, clk := openStore(t)
	keys := map[string]model.Key{"default": mustKeys(t, s)[0]}
	clk.Advance(time.Minute)
	billing, _, err := s.Create("bob@example.com", "Billing worker", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	keys["billing-old"] = billing
	clk.Advance(time.Minute)
	ro, _ := model.ParsePermissions("customer=read,invoice=read,plan=read")
	if keys["staging"], _, err = s.Create("alice@example.com", "Staging", ro); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if keys["billing-new"], _, err = s.Rotate("alice@example.com", billing.ID, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLastUsed(map[string]time.Time{keys["default"].ID: t0.Add(150 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	return s, clk, keys
}

// golden compares a screen with testdata/name.golden; -update rewrites it.
func golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./ui -run %s -update to accept):\n--- got\n%s\n--- want\n%s", name, t.Name(), got, want)
	}
}

// checkFrame asserts the screen is exactly width × height at most.
func checkFrame(t testing.TB, screen string, width, height int) {
	t.Helper()
	ls := strings.Split(screen, "\n")
	if len(ls) != height {
		t.Errorf("screen has %d lines, want %d", len(ls), height)
	}
	for i, l := range ls {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, w, width, l)
		}
	}
}

// goldenSizes are the terminal sizes every layout is pinned at; the
// renderer has no colours, as with NO_COLOR.
var goldenSizes = [][2]int{{60, 16}, {80, 24}, {120, 35}, {250, 80}}

func TestGoldenScreens(t *testing.T) {
	screens := []struct {
		name    string
		presses []string
	}{
		{"main", nil},
		{"revealed", []string{"v"}},
		{"family", []string{"down"}}, // the old Billing worker key, its replacement below
		{"rotate", []string{"r"}},
		{"rotate_now", []string{"r", "home", "enter"}},
		{"permissions", []string{"end", "p", "down", "right", "space"}},
		{"delete", []string{"d"}},
		{"help", []string{"?"}},
		{"audit", []string{"a"}},
	}
	for _, size := range goldenSizes {
		for _, sc := range screens {
			name := fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				s, clk, _ := seedStore(t)
				h := newHarness(t, s, clk, size[0], size[1])
				h.pressLoaded(sc.presses...)
				if sc.name == "revealed" {
					h.waitFor("the token", func() bool { return h.m.reveal.id != "" })
				}
				h.wantGolden(name, size[0], size[1])
			})
		}
	}
}

func TestGoldenLastKeyDeleteDialog(t *testing.T) {
	for _, size := range goldenSizes {
		name := fmt.Sprintf("delete_last_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk := openStore(t)
			h := newHarness(t, s, clk, size[0], size[1])
			h.press("d")
			h.wantGolden(name, size[0], size[1])
		})
	}
}

func TestGoldenMembersAndMail(t *testing.T) {
	screens := []struct {
		name    string
		presses []string
	}{
		{"members", []string{"m", "down"}},
		{"mail", []string{"o", "down"}},
		{"mailbody", []string{"o", "down", "enter"}},
	}
	for _, size := range goldenSizes {
		for _, sc := range screens {
			name := fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				s, clk, _ := seedMailStore(t)
				h := newHarness(t, s, clk, size[0], size[1])
				h.pressLoaded(sc.presses...)
				h.wantGolden(name, size[0], size[1])
			})
		}
	}
}

// TestGoldenInColour pins the styles a dark 256-colour terminal gets (the
// goldens above are what NO_COLOR gives): the cursor row, the expiring
// key, the hovered row, the help bar.
func TestGoldenInColour(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	for _, sc := range []struct {
		name    string
		presses []string
	}{{"colour_family", []string{"down"}}, {"colour_rotate_now", []string{"r", "home", "enter"}}} {
		t.Run(sc.name, func(t *testing.T) {
			s, clk, _ := seedStore(t)
			h := newHarness(t, s, clk, 80, 24)
			h.m.env.st = newStyles(r)
			h.press(sc.presses...)
			h.deliver(tea.MouseMsg{X: 5, Y: tableTop + 3, Action: tea.MouseActionMotion}) // hovers Staging
			got := h.screen()
			checkFrame(t, got, 80, 24)
			golden(t, sc.name+"_80x24", got)
		})
	}
}

// TestGoldenDisabledKey pins the table's mark of a disabled key and the
// status line after D.
func TestGoldenDisabledKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 35}} {
		name := fmt.Sprintf("disabled_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, keys := seedStore(t)
			h := newHarness(t, s, clk, size[0], size[1])
			h.press("end") // Staging, the last row
			h.press("D")
			h.waitFor("the key disabled", func() bool {
				k, err := s.Get(keys["staging"].ID)
				return err == nil && k.Disabled
			})
			// The mark comes with the change, the status line with the action's
			// result: either may arrive first.
			h.waitFor("the mark in the table and the status line", func() bool {
				screen := h.screen()
				return strings.Contains(screen, disabledMark+"Staging") && strings.Contains(screen, "✓ disabled Staging")
			})
			h.wantGolden(name, size[0], size[1])
		})
	}
}
