package storage

import "encoding/binary"

// authIndex finds a key's entry by its token's SHA-256. Its map is keyed
// by the hash's first 8 bytes: SHA-256 is uniform, so they hash as well as
// all 32, and a slot takes 16 bytes instead of 40 (at a million keys
// ~50 MB less to build at start and for the collector to scan). The rare
// hash whose first 8 bytes are already another stored hash's goes to a
// second map keyed by the whole hash; a lookup compares the whole hash.
type authIndex struct {
	byPrefix map[uint64]*entry
	clashes  map[[32]byte]*entry // each one's prefix is in byPrefix
}

func newAuthIndex(n int) *authIndex {
	return &authIndex{byPrefix: make(map[uint64]*entry, n), clashes: map[[32]byte]*entry{}}
}

func hashPrefix(h [32]byte) uint64 { return binary.LittleEndian.Uint64(h[:8]) }

// get returns the entry whose hash is h; none from a nil index (not loaded).
func (x *authIndex) get(h [32]byte) (*entry, bool) {
	if x == nil {
		return nil, false
	}
	e, ok := x.byPrefix[hashPrefix(h)]
	if !ok || e.hash == h {
		return e, ok
	}
	e, ok = x.clashes[h]
	return e, ok
}

// set adds e, or replaces the entry with e's hash.
func (x *authIndex) set(e *entry) {
	p := hashPrefix(e.hash)
	if held, ok := x.byPrefix[p]; ok && held.hash != e.hash {
		x.clashes[e.hash] = e
		return
	}
	x.byPrefix[p] = e
}

// delete removes the entry whose hash is h; a clash with its prefix, if
// any, takes its place.
func (x *authIndex) delete(h [32]byte) {
	p := hashPrefix(h)
	if held, ok := x.byPrefix[p]; !ok || held.hash != h {
		delete(x.clashes, h)
		return
	}
	delete(x.byPrefix, p)
	for ch, e := range x.clashes {
		if hashPrefix(ch) == p {
			delete(x.clashes, ch)
			x.byPrefix[p] = e
			return
		}
	}
}
