package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// names lists the rows' key names (with a short id for the two Billing
// worker keys) in table order.
func (h *harness) rowIDs() []string {
	var ids []string
	for i := range h.m.table.len() {
		k, _ := h.m.table.at(i)
		ids = append(ids, k.ID)
	}
	return ids
}

func TestSCyclesTheSortKeepingTheSelectionAndSaysItInTheHeader(t *testing.T) {
	s, clk, keys := seedStore(t)
	h := newHarness(t, s, clk, 80, 24)
	def, old, repl, stg := keys["default"].ID, keys["billing-old"].ID, keys["billing-new"].ID, keys["staging"].ID
	want := []struct {
		header string
		rows   []string
	}{
		{"by name", []string{old, repl, def, stg}},      // Billing worker ×2 in list order, then D, S
		{"by last used", []string{def, old, repl, stg}}, // Default was used; the never used keep list order
		{"by expiry", []string{old, def, repl, stg}},    // the old Billing worker key expires; no expiry last
		{"by created", []string{def, old, repl, stg}},   // the list's own order: the family together
	}
	for _, w := range want {
		h.press("s")
		head := strings.SplitN(h.screen(), "\n", 2)[0]
		if !strings.HasSuffix(head, "4 keys · "+w.header) {
			t.Errorf("header %q, want it to end in %q", head, "4 keys · "+w.header)
		}
		if got := h.rowIDs(); fmt.Sprint(got) != fmt.Sprint(w.rows) {
			t.Errorf("%s: rows %v, want %v", w.header, got, w.rows)
		}
		if sel, _ := h.m.table.selected(); sel.ID != def {
			t.Errorf("%s: the cursor is on %s, want Default", w.header, sel.DisplayName())
		}
	}
}

func TestSortedTableFollowsChangesAndFilters(t *testing.T) {
	s, clk, keys := seedStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("s") // by name
	if _, _, err := s.Create("bob@example.com", "Analytics", model.Permissions{}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the new key listed first by name", func() bool {
		k, ok := h.m.table.at(0)
		return ok && k.Name == "Analytics"
	})
	h.press("f") // expiring: only the old Billing worker key
	if ids := h.rowIDs(); len(ids) != 1 || ids[0] != keys["billing-old"].ID {
		t.Fatalf("expiring keys by name: %v", ids)
	}
	head := strings.SplitN(h.screen(), "\n", 2)[0]
	if !strings.Contains(head, "expiring: 1 of 5 keys · by name") {
		t.Errorf("header %q", head)
	}
}

func TestGoldenSortedByName(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 35}} {
		name := fmt.Sprintf("sort_name_%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			s, clk, _ := seedStore(t)
			h := newHarness(t, s, clk, size[0], size[1])
			h.pressLoaded("s")
			h.wantGolden(name, size[0], size[1])
		})
	}
}

// benchSort measures sorting 100,000 keys by order o: what one press of s
// (or one change of the keys while sorted) costs.
func benchSort(b *testing.B, o keyOrder) {
	m := benchModel(newMemStore(100000, t0), clock.NewFake(t0))
	b.Cleanup(m.shutdown)
	m.table.order = o
	for b.Loop() {
		computeRows(context.Background(), m.table.rowsQuery, nil)
	}
}

func BenchmarkSortByName100000(b *testing.B)     { benchSort(b, byName) }
func BenchmarkSortByLastUsed100000(b *testing.B) { benchSort(b, byLastUsed) }
