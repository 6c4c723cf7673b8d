package storage

import (
	"sync"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// The keys prepared ahead of a bulk creation's chunks follow the chunks'
// size, not the number of keys left: the preparing goroutine never takes
// a key further ahead of the stored ones than the next two chunks need.
func TestKeysArePreparedOnlyAsFarAheadAsTheNextChunksNeed(t *testing.T) {
	s, _ := openTest(t)
	const n, chunk = 6000, 100
	ids, err := s.ascendingIDs(n)
	must(t, err)
	var mu sync.Mutex
	bound, taken := aheadOf(chunkFirst), 0 // bound: the furthest a release has allowed
	next := func() (NewKey, error) {
		mu.Lock()
		defer mu.Unlock()
		if taken >= bound {
			t.Errorf("key %d prepared while only the keys before %d may be", taken, bound)
		}
		taken++
		return NewKey{Name: "ahead", Permissions: model.AllPermissions()}, nil
	}
	a := s.prepareAhead("tester", ids, next, func(*model.Key) ([]byte, error) { return nil, nil })
	defer a.close()
	for from := 0; from < n; from += chunk {
		to := min(from+chunk, n)
		for i := from; i < to; i++ {
			if _, err := a.key(i); err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		bound = max(bound, to+aheadOf(chunk))
		mu.Unlock()
		a.release(to, chunk)
	}
}
