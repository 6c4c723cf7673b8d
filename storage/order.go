package storage

import (
	"cmp"
	"strings"
)

// place is a key's position in the display order: the creation time and id
// of the first key of its rotation family, then its generation in that
// family. A rotation's new key takes its predecessor's root and the next
// generation, so it sorts directly after the key it replaced and keeps that
// place once the old key is gone. Ids break ties, so the order is total.
type place struct {
	At   int64  // unix nanoseconds of the family's first key
	Root string // id of the family's first key
	Gen  uint32 // 0 for the first key, +1 per rotation
}

// ownPlace is the place of a key that starts a family.
func ownPlace(id string, createdNanos int64) place { return place{At: createdNanos, Root: id} }

// next is the place of the key that replaces the one at p.
func (p place) next() place { return place{At: p.At, Root: p.Root, Gen: p.Gen + 1} }

func comparePlaces(a, b place) int {
	if c := cmp.Compare(a.At, b.At); c != 0 {
		return c
	}
	if c := strings.Compare(a.Root, b.Root); c != 0 {
		return c
	}
	return cmp.Compare(a.Gen, b.Gen)
}
