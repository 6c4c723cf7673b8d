package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// manyKeys is a counting list of more keys than a filter tests inline:
// "svc-…" and "other-…" names alternate.
func manyKeys(n int) *sliceList {
	list := &sliceList{}
	for i := range n {
		name := fmt.Sprintf("svc-%05d", i)
		if i%2 == 1 {
			name = fmt.Sprintf("other-%05d", i)
		}
		list.keys = append(list.keys, model.Key{ID: fmt.Sprintf("id%05d", i), Name: name})
	}
	return list
}

// loadedTable shows list as a first load does.
func loadedTable(t *testing.T, list KeyList) *keyTable {
	t.Helper()
	tbl := newKeyTable()
	tbl.resize(10)
	if cmd := tbl.setKeys(list); cmd != nil {
		t.Fatal("the unfiltered list needs no work, yet a command was returned")
	}
	return &tbl
}

// rowsOf filters list from scratch, for comparison.
func rowsOf(list KeyList, filter string) []int {
	r, _ := computeRows(context.Background(), rowsQuery{keys: list, load: 1, filter: filter}, nil)
	return r.rows
}

// finish runs cmd as the program would and hands its message back to the
// table.
func finish(t *testing.T, tbl *keyTable, cmd tea.Cmd) {
	t.Helper()
	msg, ok := cmd().(rowsMsg)
	if !ok {
		t.Fatal("the rows command did not answer with rows")
	}
	if next := tbl.rowsReady(msg); next != nil {
		t.Fatal("rows with no load waiting started more work")
	}
}

func TestFirstFilterKeystrokeOverManyKeysScansOutsideUpdate(t *testing.T) {
	list := manyKeys(inlineRows * 2)
	tbl := loadedTable(t, list)
	cmd := tbl.setFilter("svc")
	if cmd == nil || list.passes != 0 {
		t.Fatalf("the keystroke passed over the list %d times itself (command %v)", list.passes, cmd != nil)
	}
	if got := tbl.working(); got != `filtering 10,000 keys for "svc"…` {
		t.Fatalf("while it filters the table says %q", got)
	}
	tbl.moveTo(3) // the rows shown still answer the cursor meanwhile
	if k, _ := tbl.selected(); k.Name != "other-00003" {
		t.Fatalf("cursor on %q while filtering", k.Name)
	}
	finish(t, tbl, cmd)
	if !slices.Equal(tbl.rows, rowsOf(list, "svc")) || tbl.working() != "" || tbl.filter != "svc" {
		t.Fatalf("after the scan: filter %q, %d rows, working %q", tbl.filter, len(tbl.rows), tbl.working())
	}
}

func TestANewerKeystrokeStopsTheScanAndDropsItsRows(t *testing.T) {
	list := manyKeys(inlineRows * 2)
	tbl := loadedTable(t, list)
	first := tbl.setFilter("s")
	second := tbl.setFilter("") // widened back before the scan ended: no work
	if second != nil || tbl.working() != "" || tbl.rows != nil {
		t.Fatalf("clearing the filter left work behind: %q", tbl.working())
	}
	if msg := first(); msg != nil {
		t.Fatalf("the stopped scan still answered %T", msg)
	}

	// A scan that ended just as the next key was typed: its answer
	// arrives after the keystroke and must not be shown.
	stale := tbl.setFilter("o")()
	fresh := tbl.setFilter("ot")
	if tbl.rowsReady(stale.(rowsMsg)) != nil {
		t.Fatal("a stale answer started work")
	}
	if tbl.filter != "" || tbl.working() != `filtering 10,000 keys for "ot"…` {
		t.Fatalf("a stale answer was shown: filter %q, working %q", tbl.filter, tbl.working())
	}
	finish(t, tbl, fresh)
	if !slices.Equal(tbl.rows, rowsOf(list, "ot")) {
		t.Fatalf("%d rows for \"ot\", want %d", len(tbl.rows), len(rowsOf(list, "ot")))
	}
}

// Keys that move the cursor in the filter's field leave its text as it
// was: no scan starts, and a running one is kept.
func TestAKeystrokeThatLeavesTheFilterAsItWasStartsNoScan(t *testing.T) {
	list := manyKeys(inlineRows * 2)
	tbl := loadedTable(t, list)
	scan := tbl.setFilter("svc")
	if cmd := tbl.setFilter("svc"); cmd != nil {
		t.Fatal("the same text again started a second scan")
	}
	finish(t, tbl, scan)
	before := list.passes
	if cmd := tbl.setFilter("svc"); cmd != nil || list.passes != before || tbl.working() != "" {
		t.Fatalf("the same text over rows shown: command %v, %d passes", cmd != nil, list.passes-before)
	}
}

// Loads may come faster than a scan of a million keys (a bulk change):
// each one waits for the running scan instead of restarting it, so that
// the rows keep arriving.
func TestALoadDuringAScanWaitsForItThenFiltersTheNewKeys(t *testing.T) {
	list := manyKeys(inlineRows * 2)
	tbl := loadedTable(t, list)
	scan := tbl.setFilter("svc")
	grown := &sliceList{keys: append(slices.Clone(list.keys), model.Key{ID: "idnew", Name: "svc-new"})}
	if cmd := tbl.setKeys(grown); cmd != nil {
		t.Fatal("a load started a second scan beside the running one")
	}
	msg, ok := scan().(rowsMsg)
	if !ok {
		t.Fatal("the load stopped the running scan")
	}
	next := tbl.rowsReady(msg)
	if tbl.keys != KeyList(list) || !slices.Equal(tbl.rows, rowsOf(list, "svc")) || next == nil {
		t.Fatalf("the first scan's rows were not shown (%d rows), or the new keys not taken up next", len(tbl.rows))
	}
	finish(t, tbl, next)
	if tbl.keys != KeyList(grown) || !slices.Equal(tbl.rows, rowsOf(grown, "svc")) || tbl.working() != "" {
		t.Fatalf("after the load: %d rows, want the %d of the new keys", len(tbl.rows), len(rowsOf(grown, "svc")))
	}
}

func TestDashboardSaysItFiltersManyKeysThenShowsTheMatches(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	h := newHarness(t, newMemStore(inlineRows+1000, now), clock.NewFake(now), 80, 24)
	h.press("/", "0599")
	if s := h.screen(); !strings.Contains(s, `filtering 6,000 keys for "0599"…`) || !strings.Contains(s, "/0599") {
		t.Fatalf("while filtering, the screen does not say so or lost the typed text:\n%s", s)
	}
	h.waitFor("the filtered rows", func() bool { return h.m.table.next == nil })
	s := h.screen()
	if !strings.Contains(s, "> service 00599") || !strings.Contains(s, "  service 05999") || !strings.Contains(s, `filter "0599" · 1–11 of 11`) {
		t.Fatalf("the matches are not shown:\n%s", s)
	}
}
