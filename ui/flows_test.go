package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestCreateRevealsTheTokenStorageReveals(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 100, 30)
	h.press("n", "Deploy bot", "enter")
	h.wantScreen("Expires after")
	h.press("enter") // never
	h.wantScreen("Permissions of the new key Deploy bot")
	h.press("enter")
	h.waitFor("the new key revealed", func() bool { return h.m.reveal.id != "" && h.m.table.total() == 2 })

	sel, _ := h.m.table.selected()
	if sel.Name != "Deploy bot" || sel.ID != h.m.reveal.id {
		t.Fatalf("selected %q (%s), revealed %s; want the new key selected and revealed", sel.Name, sel.ID, h.m.reveal.id)
	}
	want, err := s.Reveal("test", sel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.m.reveal.token.Reveal(); got != want.Reveal() {
		t.Fatalf("revealed %s, storage reveals %s", got, want.Reveal())
	}
	if !strings.Contains(h.screen(), want.Reveal()) {
		t.Fatalf("screen does not show the token:\n%s", h.screen())
	}
	if sel.Permissions != model.AllPermissions() {
		t.Fatalf("new key permissions %s, want all", sel.Permissions)
	}
}

func TestRotateIn24HoursMarksOldKeyWithItsExpiry(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 100, 30)
	old := mustKeys(t, s)[0]
	h.advance(7 * time.Second)
	rotatedAt := clk.Now()
	h.press("r")
	h.wantScreen("> In 24 hours") // the default: nothing stops at once
	h.press("enter")
	h.waitFor("two keys", func() bool { return h.m.table.total() == 2 && h.m.reveal.id != "" })

	sel, _ := h.m.table.selected()
	if sel.ID == old.ID || sel.ID != h.m.reveal.id || h.m.table.cursor != 1 {
		t.Fatalf("the new key should be selected (row 1, below the old one) and revealed, got %s in row %d", sel.ID, h.m.table.cursor)
	}
	// The family: the old key with its expiry, the new one below it.
	oldRow := "⚠ Default · " + old.ID[:6]
	newRow := "↳ Default · " + sel.ID[:6]
	screen := h.screen()
	if i, j := strings.Index(screen, oldRow), strings.Index(screen, newRow); i < 0 || j < i || !strings.Contains(screen, "in 24h") {
		t.Fatalf("want %q with \"in 24h\", then %q below it:\n%s", oldRow, newRow, screen)
	}
	h.selectKey(old.ID)
	want := "The key expires on " + rotatedAt.Add(24*time.Hour).Format("2006-01-02 15:04:05 MST") + " (in 24h 0m 0s)"
	if want != "The key expires on 2026-03-15 09:27:00 UTC (in 24h 0m 0s)" {
		t.Fatalf("test arithmetic: %s", want)
	}
	if !strings.Contains(h.screen(), want) {
		t.Fatalf("details do not say %q:\n%s", want, h.screen())
	}
	h.advance(10 * time.Second)
	h.wantScreen("(in 23h 59m 50s)")
}

func TestDeleteDialogForTheLastActiveKeyOffersNoDelete(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("d")
	h.wantScreen("It is the last active key")
	if strings.Contains(h.screen(), "Delete") || !strings.Contains(h.screen(), "Create (n) or rotate (r) another key first") {
		t.Fatalf("the dialog should offer no Delete, only the reason and what to do:\n%s", h.screen())
	}
	h.press("y")
	if h.m.pane == nil {
		t.Fatal("y should do nothing here")
	}
	h.press("enter")
	if h.m.pane != nil {
		t.Fatal("enter should close the dialog")
	}
	if keys := mustKeys(t, s); len(keys) != 1 || keys[0].Name != "Default" {
		t.Fatalf("storage changed: %+v", keys)
	}
	if h.m.table.total() != 1 {
		t.Fatalf("table lost the key")
	}
}

func TestPermissionEditIsSavedExactly(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	id := mustKeys(t, s)[0].ID
	// none, then read everywhere, then write on add_on, then read off activity_log.
	h.press("p", "0", "R", "down", "right", "space", "home", "left", "space", "enter")
	h.wantScreen("saved permissions of Default")

	var want model.Permissions
	for _, r := range model.Resources() {
		want[r] = model.Read
	}
	want[model.Resource(0)] = 0
	addOn, _ := model.LookupResource("add_on")
	want[addOn] |= model.Write
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Permissions != want {
		t.Fatalf("storage has %s\nwant %s", got.Permissions, want)
	}
}

func TestEscWithUnsavedChangesAsksAndDiscardLeavesStorage(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("p", "space", "esc")
	h.wantScreen("Discard unsaved changes?")
	h.press("n") // keep editing: the change is still there
	if h.m.pane == nil || !strings.Contains(h.screen(), "unsaved changes") {
		t.Fatalf("n should keep editing:\n%s", h.screen())
	}
	h.press("esc", "y")
	if h.m.pane != nil {
		t.Fatalf("discard should close the matrix:\n%s", h.screen())
	}
	if got := mustKeys(t, s)[0].Permissions; got != model.AllPermissions() {
		t.Fatalf("storage changed: %s", got)
	}
	h.press("p", "esc") // no change: esc closes without asking
	if h.m.pane != nil {
		t.Fatalf("esc without changes should close at once")
	}
}

func TestRenameAndFilter(t *testing.T) {
	s, clk := openStore(t)
	clk.Advance(time.Second) // Billing after Default: keys created at one instant are ordered by their random ids
	if _, _, err := s.Create("x", "Billing", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.press("e", "ctrl+u")
	h.press("Prod", "enter")
	h.wantScreen("renamed Default to Prod")
	h.waitFor("the new name", func() bool { k, _ := h.m.table.selected(); return k.Name == "Prod" })
	h.press("/", "bil")
	if h.m.table.len() != 1 {
		t.Fatalf("filter bil shows %d rows", h.m.table.len())
	}
	h.press("enter", "esc")
	if h.m.table.len() != 2 {
		t.Fatalf("esc should clear the filter")
	}
}

func TestExpireNowEndsTheOldKey(t *testing.T) {
	s, clk := openStore(t)
	old := mustKeys(t, s)[0]
	if _, _, err := s.Rotate("x", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.press("r")
	h.wantScreen("already rotated")
	h.press("x", "y")
	h.wantScreen("expired Default")
	h.waitFor("one key left", func() bool { return h.m.table.total() == 1 })
}

func TestRevealHidesItselfAfter30Seconds(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	tok, _ := s.Reveal("test", mustKeys(t, s)[0].ID)
	h.press("v")
	h.wantScreen(tok.Reveal())
	h.wantScreen("hides in 30 s")
	h.advance(29 * time.Second)
	if !strings.Contains(h.screen(), tok.Reveal()) || !strings.Contains(h.screen(), "hides in 1 s") {
		t.Fatalf("hidden too early:\n%s", h.screen())
	}
	h.advance(time.Second)
	h.waitFor("the token hidden", func() bool { return !strings.Contains(h.screen(), tok.Reveal()) })
}

func TestQClosesADialogInsteadOfDoingNothing(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("n", "Second", "enter", "enter", "enter") // a second key, so that d may delete
	h.waitFor("two keys", func() bool { return h.m.table.total() == 2 })
	for _, open := range [][]string{{"r"}, {"d"}, {"p"}, {"m", "a", "b@example.com", "enter"}} {
		h.press(open...)
		h.waitFor("the dialog open", func() bool { return h.m.pane != nil })
		h.press("q")
		if strings.Join(open, "") == "mab@example.comenter" {
			if v, ok := h.m.pane.(*membersView); !ok || v.dialog.open != nil {
				t.Fatalf("q did not close the role picker:\n%s", h.screen())
			}
			h.press("esc")
		}
		if h.m.pane != nil {
			t.Fatalf("q did not close the dialog opened by %v:\n%s", open, h.screen())
		}
	}
	// With unsaved permissions, q asks like esc.
	h.press("p", "space", "q")
	h.wantScreen("Discard unsaved changes?")
	h.press("y")
	if h.m.pane != nil {
		t.Fatal("y did not discard")
	}
}

func TestPickerKeysWrapJumpAndTakeDigits(t *testing.T) {
	k := newKeyBindings()
	for _, tc := range []struct {
		key          string
		choice, want int
	}{{"up", 0, 4}, {"down", 4, 0}, {"down", 1, 2}, {"home", 3, 0}, {"end", 1, 4}, {"3", 0, 2}, {"6", 1, 1}, {"z", 2, 2}} {
		if got := k.choose(keyMsg(tc.key), tc.choice, 5); got != tc.want {
			t.Errorf("%s from %d: %d, want %d", tc.key, tc.choice, got, tc.want)
		}
	}
}

func TestRotateImmediatelyAsksWithTheLastUseAndNoGoesBack(t *testing.T) {
	s, clk := openStore(t)
	old := mustKeys(t, s)[0]
	if err := s.RecordLastUsed(map[string]time.Time{old.ID: clk.Now().Add(-3 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.press("r", "home", "enter")
	h.wantScreen("Rotate Default (" + old.ID + ") now?")
	h.wantScreen("The old key stops working now; last used 3 min ago.")
	h.press("enter") // the focus starts on Cancel: back to the picker
	h.wantScreen("> Immediately")
	h.press("enter", "n")
	h.wantScreen("> Immediately")
	if keys := mustKeys(t, s); len(keys) != 1 || !keys[0].ExpiresAt.IsZero() {
		t.Fatalf("backing out rotated: %+v", keys)
	}
	h.press("enter", "y")
	h.wantScreen("the old key stopped working")
	if keys := mustKeys(t, s); len(keys) != 1 || keys[0].ID == old.ID {
		t.Fatalf("after y: %+v", keys)
	}
}
