package ui

import (
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// keyTable is the list of keys with its cursor, scroll position and
// filter. Filtering runs when the keys or the filter change, never per
// frame; rendering touches only the rows on screen.
type keyTable struct {
	keys     []model.Key // as storage lists them, oldest first
	lower    []string    // lower-cased names, built when a filter is first used
	loaded   bool        // the first list has arrived
	rows     []int       // indices into keys that pass the filter
	filter   string
	cursor   int // index into rows
	offset   int // first row on screen
	hover    int // row under the mouse pointer, -1 for none
	expiring int // how many keys are expiring

	selectNext string // id to put the cursor on after the next load
}

func newKeyTable() keyTable { return keyTable{hover: -1} }

// setKeys replaces the keys, keeping the cursor on the same key if it is
// still there (or moving it to the key named by selectNext).
func (t *keyTable) setKeys(keys []model.Key) {
	sel := t.selectedID()
	if t.selectNext != "" {
		sel, t.selectNext = t.selectNext, ""
	}
	t.keys, t.lower, t.expiring, t.loaded = keys, nil, 0, true
	for _, k := range keys {
		if !k.ExpiresAt.IsZero() {
			t.expiring++
		}
	}
	t.applyFilter(sel)
}

// setFilter shows only keys whose name contains f (or whose id starts with it).
func (t *keyTable) setFilter(f string) {
	sel := t.selectedID()
	t.filter = f
	t.applyFilter(sel)
}

func (t *keyTable) applyFilter(selID string) {
	f := strings.ToLower(t.filter)
	if f != "" && t.lower == nil {
		t.lower = make([]string, len(t.keys))
		for i, k := range t.keys {
			t.lower[i] = strings.ToLower(k.Name)
		}
	}
	t.rows, t.hover = t.rows[:0], -1
	found := false
	for i, k := range t.keys {
		if f == "" || strings.Contains(t.lower[i], f) || strings.HasPrefix(k.ID, f) {
			if k.ID == selID {
				t.cursor, found = len(t.rows), true
			}
			t.rows = append(t.rows, i)
		}
	}
	if !found {
		t.cursor = min(t.cursor, len(t.rows)-1)
	}
	t.cursor = max(t.cursor, 0)
}

// at returns the key shown in row i.
func (t *keyTable) at(i int) (model.Key, bool) {
	if i < 0 || i >= len(t.rows) {
		return model.Key{}, false
	}
	return t.keys[t.rows[i]], true
}

// selected returns the key under the cursor.
func (t *keyTable) selected() (model.Key, bool) { return t.at(t.cursor) }

// focused returns the key the details panel describes: under the mouse
// pointer if it hovers a row, else under the cursor.
func (t *keyTable) focused() (model.Key, bool) {
	if k, ok := t.at(t.hover); ok {
		return k, true
	}
	return t.selected()
}

func (t *keyTable) selectedID() string {
	k, _ := t.selected()
	return k.ID
}

// moveTo puts the cursor on row i and scrolls so that visible rows show it.
func (t *keyTable) moveTo(i, visible int) {
	t.cursor = max(0, min(i, len(t.rows)-1))
	t.scroll(visible)
}

// scroll keeps the cursor on screen with as little movement as possible.
func (t *keyTable) scroll(visible int) {
	t.offset = keepVisible(t.cursor, t.offset, visible, len(t.rows))
}

// isExpiring reports whether k has an expiry set: the ⚠ keys.
func isExpiring(k model.Key, now time.Time) bool { return k.Status(now) != model.StatusActive }
