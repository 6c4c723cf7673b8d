package ui

import (
	"context"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// rowsQuery is what the table's rows answer: which keys (and the load
// that brought them), with which name and lifecycle filters, in which order.
type rowsQuery struct {
	keys   KeyList // a storage snapshot; nil until the first load
	load   int     // counts the loads: rows of one snapshot fit only it
	filter string
	life   lifeFilter // f: a lifecycle state, judged at lifeAt
	lifeAt time.Time
	order  keyOrder // s: the order of the rows
}

// everyKey reports whether the rows are every key in list order: nothing
// to compute.
func (q rowsQuery) everyKey() bool {
	return q.keys == nil || q.filter == "" && q.life == lifeAll && q.order == byCreated
}

// narrows reports whether q's rows are among those of shown, in the same
// order: the same keys, lifecycle and order, and a filter that only grew
// (a key that matches the longer text matched the shorter one).
func (q rowsQuery) narrows(shown rowsQuery) bool {
	return shown.filter != "" && q.load == shown.load && q.lifeAndOrder(shown) &&
		strings.HasPrefix(strings.ToLower(q.filter), strings.ToLower(shown.filter))
}

// newerKeys reports whether q asks what o asks, of other keys at most.
func (q rowsQuery) newerKeys(o rowsQuery) bool { return q.filter == o.filter && q.lifeAndOrder(o) }

func (q rowsQuery) lifeAndOrder(o rowsQuery) bool {
	return q.life == o.life && q.lifeAt.Equal(o.lifeAt) && q.order == o.order
}

// tableRows are the rows that answer a query, and their index when sorted.
type tableRows struct {
	rows  []int
	index []int32
}

// checkEvery is how many keys a scan passes between looks at whether it
// is still wanted.
const checkEvery = 4096

// computeRows lists the rows that answer q: the keys that pass its
// filters, in its order, taken from base (the rows of a query q narrows)
// or, when base is nil, from every key. It gives up, answering false, as
// soon as ctx ends: a keystroke or a load made it stale.
func computeRows(ctx context.Context, q rowsQuery, base []int) (tableRows, bool) {
	if q.everyKey() {
		return tableRows{}, true
	}
	f := strings.ToLower(q.filter)
	match := func(k model.Key) bool { return named(k, f) && q.life.keep(k, q.lifeAt) }
	var rows []int
	if base != nil {
		rows = make([]int, 0, len(base))
		for n, pos := range base { // already in q's order
			if n%checkEvery == 0 && ctx.Err() != nil {
				return tableRows{}, false
			}
			if match(q.keys.At(pos)) {
				rows = append(rows, pos)
			}
		}
	} else {
		size := 64
		if q.filter == "" && q.life == lifeAll {
			size = q.keys.Len() // sorted only: every key is a row
		}
		shown := make([]rowKey, 0, size)
		q.keys.Ascend(0, func(i int, k model.Key) bool {
			if match(k) {
				shown = append(shown, q.order.keyOf(i, k))
			}
			return i%checkEvery != 0 || ctx.Err() == nil
		})
		if ctx.Err() != nil {
			return tableRows{}, false
		}
		q.order.sort(shown)
		rows = make([]int, len(shown))
		for row, r := range shown {
			rows[row] = r.pos
		}
	}
	return tableRows{rows, rowIndex(q, rows)}, ctx.Err() == nil
}

// named reports whether key k's name contains f or its id starts with it
// (f in lower case; "" matches every key).
func named(k model.Key, f string) bool {
	return f == "" || strings.Contains(strings.ToLower(k.Name), f) || strings.HasPrefix(k.ID, f)
}

// rowIndex notes the row of each shown key when the rows are sorted, so
// that rowOf finds a key's row without a search.
func rowIndex(q rowsQuery, rows []int) []int32 {
	if q.order == byCreated {
		return nil
	}
	index := make([]int32, q.keys.Len())
	for row, pos := range rows {
		index[pos] = int32(row + 1)
	}
	return index
}

// selectRow puts the cursor back on key selID when it shows.
func (t *keyTable) selectRow(selID string) {
	if row, ok := t.rowOf(selID); ok {
		t.cursor = row
	}
	t.moveTo(t.cursor)
}

// rowOf finds the row of key id: a lookup in the list, then one in the
// sorted rows' index or a binary search in the filtered rows.
func (t *keyTable) rowOf(id string) (int, bool) {
	if id == "" || t.keys == nil {
		return 0, false
	}
	i, ok := t.keys.Find(id)
	switch {
	case !ok || t.rows == nil:
		return i, ok
	case t.index != nil:
		return int(t.index[i]) - 1, t.index[i] > 0
	}
	lo, hi := 0, len(t.rows)
	for lo < hi {
		mid := (lo + hi) / 2
		if t.rows[mid] < i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(t.rows) && t.rows[lo] == i
}
