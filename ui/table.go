package ui

import (
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// keyTable is the list of keys with its cursor, scroll position and
// filter. Without a filter, rows are the list's own positions, so a change
// costs a lookup of the selected key, not a pass over every key; a filter
// is applied when the keys or the filter change, never per frame.
type keyTable struct {
	keys   KeyList // a storage snapshot; nil until the first load
	filter string
	life   lifeFilter // f: a lifecycle state, judged at lifeAt
	lifeAt time.Time
	order  keyOrder // s: the order of the rows
	rows   []int    // positions in keys that pass the filters, in order; nil for all in list order
	index  []int32  // row+1 of each position when rows are sorted (0: not shown)
	cursor int      // row of the selected key
	offset int      // first row on screen
	height int      // rows on screen
	hover  int      // row under the mouse pointer, -1 for none

	selectNext string // id to put the cursor on after the next load
}

func newKeyTable() keyTable { return keyTable{hover: -1, height: 1} }

// loaded reports whether the first list has arrived.
func (t *keyTable) loaded() bool { return t.keys != nil }

// total is the number of keys, filtered or not.
func (t *keyTable) total() int {
	if t.keys == nil {
		return 0
	}
	return t.keys.Len()
}

// len is the number of rows that pass the filter.
func (t *keyTable) len() int {
	if t.rows != nil {
		return len(t.rows)
	}
	return t.total()
}

// at returns the key shown in row i.
func (t *keyTable) at(i int) (model.Key, bool) {
	if i < 0 || i >= t.len() {
		return model.Key{}, false
	}
	if t.rows != nil {
		return t.keys.At(t.rows[i]), true
	}
	return t.keys.At(i), true
}

// selected returns the key under the cursor: the one keys act on and the
// details panel describes.
func (t *keyTable) selected() (model.Key, bool) { return t.at(t.cursor) }

// setKeys replaces the keys, keeping the cursor on the same key if it is
// still there (or moving it to the key named by selectNext).
func (t *keyTable) setKeys(keys KeyList) {
	sel, _ := t.selected()
	id := sel.ID
	if t.selectNext != "" {
		id, t.selectNext = t.selectNext, ""
	}
	t.keys = keys
	t.applyFilter(id)
}

// selectID puts the cursor on key id, now if it is listed, else once a
// load brings it (an action's result may arrive before or after the
// change it caused).
func (t *keyTable) selectID(id string) {
	if t.filter != "" {
		t.setFilter("") // the key must be visible
	}
	if row, ok := t.rowOf(id); ok {
		t.moveTo(row)
		return
	}
	t.selectNext = id
}

// setFilter shows only keys whose name contains f (or whose id starts
// with it), keeping the cursor on the selected key when it still shows.
func (t *keyTable) setFilter(f string) {
	sel, _ := t.selected()
	t.filter = f
	t.applyFilter(sel.ID)
}

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
			named := f == "" || strings.Contains(strings.ToLower(k.Name), f) || strings.HasPrefix(k.ID, f)
			if named && t.life.keep(k, t.lifeAt) {
				shown = append(shown, t.order.keyOf(i, k))
			}
			return true
		})
		t.order.sort(shown)
		t.rows = make([]int, len(shown))
		for row, r := range shown {
			t.rows[row] = r.pos
		}
		if t.order != byCreated {
			t.index = make([]int32, t.keys.Len())
			for row, pos := range t.rows {
				t.index[pos] = int32(row + 1)
			}
		}
	}
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

// resize sets the rows on screen and keeps the cursor among them.
func (t *keyTable) resize(height int) {
	t.height = max(1, height)
	t.moveTo(t.cursor)
}

// moveTo puts the cursor on row i and scrolls as little as possible.
func (t *keyTable) moveTo(i int) {
	t.cursor = max(0, min(i, t.len()-1))
	t.offset = keepVisible(t.cursor, t.offset, t.height, t.len())
}

// isExpiring reports whether k has an expiry set: the ⚠ keys.
func isExpiring(k model.Key, _ time.Time) bool { return !k.ExpiresAt.IsZero() }
