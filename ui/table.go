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
//
// Typing on only narrows the filter: a key that matches the longer text
// matched the shorter one, so only the rows shown are tested again, not
// every key (a keystroke at a million keys).
func (t *keyTable) setFilter(f string) {
	sel, _ := t.selected()
	narrowing := t.filter != "" && t.rows != nil && strings.HasPrefix(strings.ToLower(f), strings.ToLower(t.filter))
	t.filter = f
	if narrowing {
		t.narrowFilter(sel.ID)
		return
	}
	t.applyFilter(sel.ID)
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
