package storage

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// A bulk creation's ids, kept as numbers, are the ids drawn, in order.
func TestAscendingIDsAreTheDrawnIDsSorted(t *testing.T) {
	seed := [32]byte{'i', 'd', 's'}
	s := &Store{core: &core{rand: rand.NewChaCha8(seed)}}
	ids, err := s.ascendingIDs(5000)
	must(t, err)
	drawn := rand.NewChaCha8(seed)
	want := make([]string, ids.len())
	for i := range want {
		if want[i], err = model.NewKeyID(drawn); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(want)
	for i, id := range want {
		if got := ids.at(i); got != id {
			t.Fatalf("id %d is %q, want %q", i, got, id)
		}
	}
}
