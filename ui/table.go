package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// keyTable is the list of keys with its cursor, scroll position and
// filter. Without a filter, rows are the list's own positions, so a change
// costs a lookup of the selected key, not a pass over every key; a filter
// is applied when the keys or the filter change, never per frame, and
// over many keys in a command (see show), so that typing never waits on it.
type keyTable struct {
	rowsQuery         // what the rows shown answer: the keys, filter and order
	rows      []int   // positions in keys that pass the filters, in order; nil for all in list order
	index     []int32 // row+1 of each position when rows are sorted (0: not shown)
	cursor    int     // row of the selected key
	offset    int     // first row on screen
	height    int     // rows on screen
	hover     int     // row under the mouse pointer, -1 for none

	next       *rowsJob   // the rows being computed for a newer query, if any
	after      *rowsQuery // newer keys for next's query, computed once it ends
	jobs       int        // rows jobs started: their generations
	selectNext string     // id to put the cursor on after the next load
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
// still there (or moving it to the key named by selectNext). When that
// takes a scan (over inlineRows keys under a filter, a lifecycle or
// another order), the keys and the cursor move arrive later, with
// rowsReady: from the returned command, which the caller must run, or
// after the scan already running.
func (t *keyTable) setKeys(keys KeyList) tea.Cmd {
	q := t.wanted()
	q.keys, q.load = keys, q.load+1
	return t.show(q)
}

// selectID puts the cursor on key id, now if it is listed, else once a
// load brings it (an action's result may arrive before or after the
// change it caused, or a scan may still be running). It clears the
// filter, so that the key shows; over many keys the rows then arrive
// later from the returned command, which the caller must run.
func (t *keyTable) selectID(id string) tea.Cmd {
	var cmd tea.Cmd
	if t.wanted().filter != "" {
		cmd = t.setFilter("") // the key must be visible
	}
	if row, ok := t.rowOf(id); ok && t.next == nil {
		t.moveTo(row)
		return cmd
	}
	t.selectNext = id
	return cmd
}

// setFilter shows only keys whose name contains f (or whose id starts
// with it), keeping the cursor on the selected key when it still shows.
// Typing on only narrows the filter: then only the rows shown are tested
// again, not every key (see rowsQuery.narrows).
func (t *keyTable) setFilter(f string) tea.Cmd {
	q := t.wanted()
	q.filter = f
	return t.show(q)
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
