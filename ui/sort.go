package ui

import (
	"cmp"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// keyOrder is the order of the key table; s cycles through them.
type keyOrder int

const (
	byCreated  keyOrder = iota // the list's own order: a rotation's new key below the old one
	byName                     // A to Z, ignoring case
	byLastUsed                 // most recently used first; never used last
	byExpiry                   // soonest expiry first; no expiry last
	keyOrders                  // how many there are
)

var orderNames = [keyOrders]string{"created", "name", "last used", "expiry"}

func (o keyOrder) String() string { return orderNames[o] }

func (o keyOrder) next() keyOrder { return (o + 1) % keyOrders }

// rowKey is what a row is sorted by: its position in the list (ties keep
// the list's order, so that a family stays together) and one field.
type rowKey struct {
	pos  int
	name string
	at   int64 // Unix nanoseconds of the sorted time; 0 sorts last
}

// keyOf reads what o sorts k by, at position pos.
func (o keyOrder) keyOf(pos int, k model.Key) rowKey {
	r := rowKey{pos: pos}
	switch o {
	case byName:
		r.name = strings.ToLower(k.DisplayName())
	case byLastUsed:
		if !k.LastUsedAt.IsZero() {
			r.at = -k.LastUsedAt.UnixNano() // newest first
		}
	case byExpiry:
		if !k.ExpiresAt.IsZero() {
			r.at = k.ExpiresAt.UnixNano()
		}
	}
	return r
}

// sort orders rows, given in list order, by o: once per change of the
// keys, the filter or the order, never per keystroke or frame.
func (o keyOrder) sort(rows []rowKey) {
	if o == byCreated {
		return
	}
	slices.SortStableFunc(rows, func(a, b rowKey) int {
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		switch {
		case a.at == b.at:
			return 0
		case a.at == 0:
			return 1
		case b.at == 0:
			return -1
		}
		return cmp.Compare(a.at, b.at)
	})
}

// cycleOrder moves the table to the next order, keeping the cursor on the
// selected key.
func (t *keyTable) cycleOrder() tea.Cmd {
	q := t.wanted()
	q.order = q.order.next()
	return t.show(q)
}
