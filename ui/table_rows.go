package ui

import (
	"strings"

	"github.com/keyrack/keyrack/model"
)

// applyFilter lists the rows that pass the name and lifecycle filters in
// the table's order, and puts the cursor back on key selID when it shows.
func (t *keyTable) applyFilter(selID string) {
	t.rows, t.index, t.hover = nil, nil, -1
	if (t.filter != "" || t.life != lifeAll || t.order != byCreated) && t.keys != nil {
		f := strings.ToLower(t.filter)
		size := 64
		if t.filter == "" && t.life == lifeAll {
			size = t.keys.Len() // sorted only: every key is a row
		}
		shown := make([]rowKey, 0, size)
		t.keys.Ascend(0, func(i int, k model.Key) bool {
			if named(k, f) && t.life.keep(k, t.lifeAt) {
				shown = append(shown, t.order.keyOf(i, k))
			}
			return true
		})
		t.order.sort(shown)
		t.rows = make([]int, len(shown))
		for row, r := range shown {
			t.rows[row] = r.pos
		}
		t.reindex()
	}
	t.selectRow(selID)
}

// narrowFilter keeps the rows shown whose key matches the filter; the
// caller knows that no other key can (the filter only grew longer).
func (t *keyTable) narrowFilter(selID string) {
	f := strings.ToLower(t.filter)
	kept := make([]int, 0, len(t.rows))
	for _, pos := range t.rows {
		if named(t.keys.At(pos), f) {
			kept = append(kept, pos)
		}
	}
	t.rows, t.index, t.hover = kept, nil, -1
	t.reindex()
	t.selectRow(selID)
}

// named reports whether key k's name contains f or its id starts with it
// (f in lower case; "" matches every key).
func named(k model.Key, f string) bool {
	return f == "" || strings.Contains(strings.ToLower(k.Name), f) || strings.HasPrefix(k.ID, f)
}

// reindex notes the row of each shown key when the rows are sorted, so
// that rowOf finds a key's row without a search.
func (t *keyTable) reindex() {
	if t.order == byCreated {
		return
	}
	t.index = make([]int32, t.keys.Len())
	for row, pos := range t.rows {
		t.index[pos] = int32(row + 1)
	}
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
