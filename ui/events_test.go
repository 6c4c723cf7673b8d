package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// matrixOfBobsKey shows the permission matrix of key "ci", which
// bob@example.com created.
func matrixOfBobsKey(t *testing.T) (*storage.Store, *harness, model.Key) {
	t.Helper()
	s, clk := openStore(t)
	ci, _, err := s.Create("bob@example.com", "ci", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.selectKey(ci.ID)
	h.press("p")
	return s, h, ci
}

func TestADialogWhoseKeyAnotherAdminDeletesClosesSayingWhoDidIt(t *testing.T) {
	s, h, ci := matrixOfBobsKey(t)
	h.press("space") // an unsaved change in the matrix
	if _, err := s.Rename("bob@example.com", ci.ID, "ci-2"); err != nil {
		t.Fatal(err)
	}
	h.wantScreen("ci was renamed to ci-2 by bob@example.com")
	if _, ok := h.m.pane.(*matrixPane); !ok {
		t.Fatalf("the matrix closed although its key is still there:\n%s", h.screen())
	}
	if err := s.Delete("bob@example.com", ci.ID); err != nil {
		t.Fatal(err)
	}
	h.wantScreen("✗ ci-2 was deleted by bob@example.com; the dialog about it closed")
	if h.m.pane != nil {
		t.Fatalf("the matrix of a deleted key is still open:\n%s", h.screen())
	}
}

// A load taken just after another admin's delete may come back before
// the delete's report: the dialog closes at once, and the report, when
// it comes, still says who removed the key.
func TestADialogClosedByALoadBeforeTheReportStillSaysWhoDeletedTheKey(t *testing.T) {
	s, h, ci := matrixOfBobsKey(t)
	if err := s.Delete("bob@example.com", ci.ID); err != nil {
		t.Fatal(err)
	}
	h.deliver(h.m.env.loadKeys()()) // ahead of the change's report, still queued
	if h.m.pane != nil {
		t.Fatalf("the matrix of a deleted key is still open:\n%s", h.screen())
	}
	h.wantScreen("✗ ci was deleted by bob@example.com; the dialog about it closed")
}

func TestTheSchedulersExpiryShowsAStatusLine(t *testing.T) {
	s, clk := openStore(t)
	old := mustKeys(t, s)[0]
	if _, _, err := s.Rotate("bob@example.com", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	clk.Advance(time.Hour)
	if _, err := s.ApplyDue(clk.Now()); err != nil {
		t.Fatal(err)
	}
	h.wantScreen("✓ Default (old) expired")
	h.waitFor("one key left", func() bool { return h.m.table.total() == 1 })
}

func TestAnActionDoesNotReloadItself(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	if _, cmd := h.m.Update(actionMsg{text: "renamed Default to Prod", at: clk.Now()}); cmd != nil {
		t.Fatal("an action's result started a command: the change it made reloads once, through the subscription")
	}
	h.press("e", "ctrl+u", "Prod", "enter")
	h.waitFor("the rename on screen", func() bool {
		k, _ := h.m.table.selected()
		return k.Name == "Prod" && strings.Contains(h.screen(), "renamed Default to Prod")
	})
}

func TestAnUntilIdleOldKeyRetiringShowsAStatusLine(t *testing.T) {
	s, clk := openStore(t)
	old := mustKeys(t, s)[0]
	if _, _, err := s.RotateUntilIdle("bob@example.com", old.ID, time.Minute, model.Day); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	clk.Advance(time.Minute)
	if _, err := s.ApplyDue(clk.Now()); err != nil {
		t.Fatal(err)
	}
	h.wantScreen("✓ Default (old) retired: it went quiet")
	h.waitFor("one key left", func() bool { return h.m.table.total() == 1 })
}
