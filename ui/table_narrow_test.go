package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// sliceList is a KeyList over a slice that counts full passes.
type sliceList struct {
	keys   []model.Key
	passes int
}

func (l *sliceList) Len() int           { return len(l.keys) }
func (l *sliceList) At(i int) model.Key { return l.keys[i] }
func (l *sliceList) Find(id string) (int, bool) {
	i := slices.IndexFunc(l.keys, func(k model.Key) bool { return k.ID == id })
	return i, i >= 0
}
func (l *sliceList) Ascend(from int, fn func(int, model.Key) bool) {
	l.passes++
	for i := from; i < len(l.keys); i++ {
		if !fn(i, l.keys[i]) {
			return
		}
	}
}

// Typing on narrows the rows already shown, with the same result as
// filtering every key, and without another pass over the list; deleting a
// character filters every key again.
func TestTypingOnNarrowsTheShownRowsOnly(t *testing.T) {
	names := []string{"Service A", "svc-billing", "SVC-ledger", "search", "sv", "billing", "ledger svc"}
	list := &sliceList{}
	for i := range 700 {
		list.keys = append(list.keys, model.Key{ID: fmt.Sprintf("id%05d", i), Name: fmt.Sprintf("%s %d", names[i%len(names)], i)})
	}
	for _, order := range []keyOrder{byCreated, byName} {
		tbl := newKeyTable()
		tbl.keys, tbl.order, tbl.lifeAt = list, order, time.Now()
		fresh := func(f string) []int {
			q := tbl.rowsQuery
			q.filter = f
			r, _ := computeRows(context.Background(), q, nil)
			return r.rows
		}
		for _, f := range []string{"s", "sv", "svc", "svc-", "svc-b", "id0001"} {
			tbl.setFilter(f)
			if f == "svc-" {
				tbl.setFilter("svc")  // a deleted character widens the filter: every key again
				tbl.setFilter("svc-") // and typing it again narrows
			}
			before := list.passes
			tbl.setFilter(f + "") // the same text again narrows too
			if list.passes != before {
				t.Fatalf("order %v, filter %q: %d passes over the list for a narrowing keystroke", order, f, list.passes-before)
			}
			if got, want := tbl.rows, fresh(f); !slices.Equal(got, want) {
				t.Fatalf("order %v, filter %q: narrowed rows %v, filtering every key gives %v", order, f, got, want)
			}
		}
	}
}
