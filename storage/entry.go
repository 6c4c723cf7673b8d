package storage

import (
	"strings"
	"time"
	"unsafe"

	"github.com/keyrack/keyrack/model"
)

// entry is one key as the caches hold it; the display-order tree, the id
// tree and the auth map share one entry per key. It is compact because a
// million of them stay in memory: its strings are one text (two pointers
// per entry for the collector to follow, both in the first words, so it
// scans three words of each), times are unix nanoseconds (0: none).
type entry struct {
	text string    // id, name, last4, rotated from, replaced by, place root: back to back
	by   string    // the creator (shared between keys)
	ends [5]uint16 // where the id, name, last4, rotated from and replaced by end in text

	gen      uint32 // the place's generation
	perms    model.Permissions
	disabled bool
	lago     bool // the token came from Lago (model.Key.LagoToken)
	hash     [32]byte

	created, used, expires, expirySet int64
	idle, reminded                    int64 // durations
	placeAt                           int64
}

// maxEntryText bounds an entry's text (its ends are 16 bits); a record
// with more is damaged (names are at most 64 characters).
const maxEntryText = 1<<16 - 1

// newEntry makes the entry of key k with its token's hash at place pl; its
// text comes from arena (nil: a string of its own). ok is false when the
// key's strings do not fit.
func newEntry(k *model.Key, hash [32]byte, pl place, arena *textArena) (e entry, ok bool) {
	root := pl.Root
	if root == k.ID {
		root = "" // the usual case: a family of one key's own
	}
	parts := [...]string{k.ID, k.Name, k.Last4, k.RotatedFrom, k.ReplacedBy, root}
	n := 0
	for i, p := range parts {
		n += len(p)
		if i < len(e.ends) {
			e.ends[i] = uint16(min(n, maxEntryText))
		}
	}
	if n > maxEntryText {
		return e, false
	}
	e.text = arena.join(parts[:], n)
	e.by, e.perms, e.disabled, e.lago, e.hash = k.CreatedBy, k.Permissions, k.Disabled, k.LagoToken, hash
	e.gen, e.placeAt = pl.Gen, pl.At
	e.created, e.used, e.expires, e.expirySet = nanos(k.CreatedAt), nanos(k.LastUsedAt), nanos(k.ExpiresAt), nanos(k.ExpirySetAt)
	e.idle, e.reminded = int64(k.IdleRetire), int64(k.Reminded)
	return e, true
}

// field returns text's i-th string (0: the id … 4: replaced by).
func (e *entry) field(i int) string {
	from := 0
	if i > 0 {
		from = int(e.ends[i-1])
	}
	return e.text[from:e.ends[i]]
}

func (e *entry) id() string { return e.text[:e.ends[0]] }

// place is the entry's position in the display order.
func (e *entry) place() place {
	root := e.text[e.ends[4]:]
	if root == "" {
		root = e.id()
	}
	return place{At: e.placeAt, Root: root, Gen: e.gen}
}

// key returns the key the entry holds; its strings share the entry's.
func (e *entry) key() model.Key {
	return model.Key{
		ID: e.id(), Name: e.field(1), Last4: e.field(2), Permissions: e.perms,
		CreatedAt: fromNanos(e.created), CreatedBy: e.by,
		LastUsedAt: fromNanos(e.used), ExpiresAt: fromNanos(e.expires),
		RotatedFrom: e.field(3), ReplacedBy: e.field(4), Disabled: e.disabled,
		ExpirySetAt: fromNanos(e.expirySet), IdleRetire: time.Duration(e.idle), Reminded: time.Duration(e.reminded),
		LagoToken: e.lago,
	}
}

// entryByID is the probe to look an id up in the id tree with.
func entryByID(id string) *entry {
	return &entry{text: id, ends: [5]uint16{uint16(min(len(id), maxEntryText))}}
}

func lessByID(a, b *entry) bool { return a.id() < b.id() }

func lessByPlace(a, b *entry) bool {
	if a.placeAt != b.placeAt {
		return a.placeAt < b.placeAt
	}
	if c := strings.Compare(a.place().Root, b.place().Root); c != 0 {
		return c < 0
	}
	return a.gen < b.gen
}

// textArena hands out the texts of a load's entries from blocks of
// arenaBlock bytes: one allocation for a few thousand keys instead of
// several per key. A block is never written again once handed out, so
// strings may point into it; it lives as long as one of them does.
type textArena struct{ free []byte }

const arenaBlock = 64 << 10

// join returns the n bytes of parts back to back as one string.
func (a *textArena) join(parts []string, n int) string {
	if a == nil || n > arenaBlock/8 {
		var b strings.Builder
		b.Grow(n)
		for _, p := range parts {
			b.WriteString(p)
		}
		return b.String()
	}
	if len(a.free) < n {
		a.free = make([]byte, arenaBlock)
	}
	buf := a.free[:0:n]
	for _, p := range parts {
		buf = append(buf, p...)
	}
	a.free = a.free[n:]
	if n == 0 {
		return ""
	}
	return unsafe.String(&buf[0], n)
}
