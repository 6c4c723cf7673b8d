package storage

import (
	"math/rand/v2"
	"testing"
)

// The auth index answers as a map keyed by the whole hash would, also when
// many hashes share their first 8 bytes and come and go in any order.
func TestAuthIndexAgreesWithAMapOfWholeHashes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	hashes := make([][32]byte, 60)
	for i := range hashes {
		hashes[i][0] = byte(i % 4) // 4 prefixes: 15 hashes share each
		hashes[i][31] = byte(i)
	}
	x, want := newAuthIndex(0), map[[32]byte]*entry{}
	for step := range 5000 {
		h := hashes[r.IntN(len(hashes))]
		if r.IntN(3) == 0 {
			x.delete(h)
			delete(want, h)
		} else {
			e := &entry{hash: h}
			x.set(e)
			want[h] = e
		}
		for _, h := range hashes {
			got, ok := x.get(h)
			if w, wok := want[h]; ok != wok || got != w {
				t.Fatalf("step %d: get(%x…%x) = %p, %v; want %p, %v", step, h[0], h[31], got, ok, w, wok)
			}
		}
	}
	if _, ok := (*authIndex)(nil).get(hashes[0]); ok {
		t.Fatal("an index not loaded found a hash")
	}
}
