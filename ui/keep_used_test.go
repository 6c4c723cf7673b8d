package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func TestGoldenMatrixMarksUnusedPermissions(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 35}} {
		name := fmt.Sprintf("matrix_unused_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, keys := seedStore(t)
			seedUsage(t, s, clk.Now(), keys)
			h := newHarness(t, s, clk, size[0], size[1])
			h.selectKey(keys["staging"].ID)
			h.pressLoaded("p")
			h.press("down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down") // invoice
			h.wantGolden(name, size[0], size[1])
		})
	}
}

// TestKeepOnlyUsedConfirmsWithTheDryRunThenSaves: Staging may read
// customers, invoices and plans and read invoices 10 days ago; u keeps
// invoice=read after a confirmation that shows the dry run and what goes.
func TestKeepOnlyUsedConfirmsWithTheDryRunThenSaves(t *testing.T) {
	s, clk, keys := seedStore(t)
	seedUsage(t, s, clk.Now(), keys)
	h := newHarness(t, s, clk, 80, 24)
	h.selectKey(keys["staging"].ID)
	h.pressLoaded("p")
	h.press("u")
	screen := h.screen()
	for _, want := range []string{"Keep only what Staging", "New permissions: invoice=read (1 of 71).",
		"Removes 2 permissions: customer read, plan read.", "Dry run: they would have refused 0 of the 7 requests"} {
		if !strings.Contains(strings.Join(strings.Fields(screen), " "), want) {
			t.Errorf("confirmation lacks %q:\n%s", want, screen)
		}
	}
	if k := mustGet(t, s, keys["staging"].ID); k.Permissions.String() != "customer=read,invoice=read,plan=read" {
		t.Fatalf("permissions changed before the confirmation: %s", k.Permissions)
	}
	h.press("esc") // back to the matrix, nothing changed
	if _, ok := h.m.pane.(*matrixPane); !ok {
		t.Fatalf("esc left %T open, want the matrix", h.m.pane)
	}
	h.press("u", "y")
	h.waitFor("the permissions saved", func() bool {
		return mustGet(t, s, keys["staging"].ID).Permissions.String() == "invoice=read"
	})
	h.wantScreen("saved permissions of Staging")
	entries, err := s.Audit(1)
	if err != nil || len(entries) != 1 || entries[0].Action != model.ActionPermissions || entries[0].Actor != "alice@example.com" {
		t.Fatalf("audit %+v, %v: want alice's permission change", entries, err)
	}
}

func TestGoldenKeepOnlyUsedConfirmation(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 16}} {
		name := fmt.Sprintf("keep_used_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, keys := seedStore(t)
			seedUsage(t, s, clk.Now(), keys)
			h := newHarness(t, s, clk, size[0], size[1])
			h.pressLoaded("p") // Default: it read customers, and tried to write invoices
			h.press("u")
			h.wantGolden(name, size[0], size[1])
		})
	}
}

func TestKeepOnlyUsedOfAKeyThatUsedEverythingItHasRemovesNothing(t *testing.T) {
	s, clk, keys := seedStore(t)
	if _, err := s.SetPermissions("test", keys["staging"].ID, mustParse(t, "invoice=read")); err != nil {
		t.Fatal(err)
	}
	seedUsage(t, s, clk.Now(), keys)
	h := newHarness(t, s, clk, 80, 24)
	h.selectKey(keys["staging"].ID)
	h.pressLoaded("p")
	if strings.Contains(h.screen(), unusedMark) {
		t.Errorf("a used permission is marked unused:\n%s", h.screen())
	}
	h.press("u")
	h.wantScreen("Nothing to remove from Staging")
	h.press("enter")
	if _, ok := h.m.pane.(*matrixPane); !ok {
		t.Fatalf("enter left %T open, want the matrix", h.m.pane)
	}
}

func mustParse(t *testing.T, spec string) model.Permissions {
	t.Helper()
	p, err := model.ParsePermissions(spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMatrixMarksFollowTrafficWhileOpen(t *testing.T) {
	s, clk, keys := seedStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.selectKey(keys["staging"].ID)
	h.pressLoaded("p")
	if n := h.m.pane.(*matrixPane).unusedCount(); n != 3 {
		t.Fatalf("%d unused marks, want 3 (nothing used yet)", n)
	}
	recordUsage(t, s, clk.Now(), keys["staging"].ID, "plan", model.Read, map[int][2]uint32{0: {5, 0}})
	h.waitFor("plan read no longer marked", func() bool { return h.m.pane.(*matrixPane).unusedCount() == 2 })
}

func TestListSomeCountsTheRestInWords(t *testing.T) {
	items := []string{"a", "b", "c", "d"}
	for n, want := range map[int]string{4: "a, b, c, d", 3: "a, b, c and 1 more resource", 1: "a and 3 more resources"} {
		if got := listSome(items, n, "resource"); got != want {
			t.Errorf("listSome(…, %d) = %q, want %q", n, got, want)
		}
	}
}
