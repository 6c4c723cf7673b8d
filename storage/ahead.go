package storage

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
)

// aheadBatch is how many keys the preparing goroutine hands over at once.
const aheadBatch = 512

// aheadOf is how many keys may be prepared from the first of the chunk
// about to be stored, whose size is next: that chunk, the one after it
// (which may be twice as large) and a batch. So a chunk never waits once
// the one before it has committed, and the keys waiting in memory follow
// the chunks' size (a few thousand), not the largest a chunk may have.
func aheadOf(next int) int { return 3*next + aheadBatch }

// keysAhead prepares the keys of a bulk creation (prepare.go) in order on
// its own goroutine while the chunks before them are stored: sealing and
// encoding run beside the write transaction, on another core, instead of
// under the write lock. It draws from the store's random source while
// other writers do (Open makes that safe), and what it prepares may be
// out of date by its commit: a rekey may have run, and the clock has moved
// on (insertKey brings it up to date).
type keysAhead struct {
	batches chan preparedBatch
	stop    chan struct{}
	ended   chan struct{} // closed when the goroutine has returned
	base    int           // the index of kept[0]
	kept    []preparedKey // prepared keys not yet released
	err     error         // why the key after the last kept could not be prepared

	mu    sync.Mutex
	upTo  int           // keys before upTo may be prepared
	moved chan struct{} // closed when upTo moves
}

type preparedBatch struct {
	keys []preparedKey
	err  error // the batch ends at the key that could not be prepared
}

// prepareAhead starts preparing the keys next yields, one per id in ids,
// as created by actor, each with the body of its audit record. Call close
// when done with them.
func (s *Store) prepareAhead(actor string, ids sortedIDs, next func() (NewKey, error), audit func(k *model.Key) ([]byte, error)) *keysAhead {
	a := &keysAhead{batches: make(chan preparedBatch, aheadOf(chunkMax)/aheadBatch+1), stop: make(chan struct{}), ended: make(chan struct{}),
		upTo: aheadOf(chunkFirst), moved: make(chan struct{})}
	go func() {
		defer close(a.ended)
		defer close(a.batches)
		for from := 0; from < ids.len(); from += aheadBatch {
			if !a.waitUntil(min(from+aheadBatch, ids.len()) - 1) {
				return
			}
			now := s.clock.Now().UTC().Round(0)
			b := preparedBatch{keys: make([]preparedKey, 0, min(aheadBatch, ids.len()-from))}
			for i := from; i < min(from+aheadBatch, ids.len()) && b.err == nil; i++ {
				var p preparedKey
				if p, b.err = s.prepareNext(actor, ids.at(i), i, next, now, audit); b.err == nil {
					b.keys = append(b.keys, p)
				}
			}
			select {
			case a.batches <- b:
			case <-a.stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	return a
}

// prepareNext prepares key i, the next one next yields, under id.
func (s *Store) prepareNext(actor, id string, i int, next func() (NewKey, error), now time.Time, audit func(k *model.Key) ([]byte, error)) (preparedKey, error) {
	nk, err := next()
	if err != nil {
		return preparedKey{}, err
	}
	nk.ID = id
	p, err := s.prepareKey(actor, nk, nil, now)
	if err == nil {
		p.audit, err = audit(&p.rec.Key)
	}
	if err != nil {
		return preparedKey{}, fmt.Errorf("%s: %w", placeOf(nk, i), err)
	}
	return p, nil
}

// key returns the prepared key i, waiting for it. Keys from the last
// release on stay available: a transaction may be retried.
func (a *keysAhead) key(i int) (*preparedKey, error) {
	for i >= a.base+len(a.kept) {
		if a.err != nil {
			return nil, a.err
		}
		b, ok := <-a.batches
		if !ok {
			return nil, errors.New("prepare keys: no more keys") // a caller's bug: i is past the last key
		}
		a.kept, a.err = append(a.kept, b.keys...), b.err
	}
	return &a.kept[i-a.base], nil
}

// release drops the keys before to, once they are stored, and lets the
// goroutine prepare as far ahead of to as a chunk of next keys needs.
func (a *keysAhead) release(to, next int) {
	a.kept = append(a.kept[:0], a.kept[to-a.base:]...)
	a.base = to
	a.mu.Lock()
	defer a.mu.Unlock()
	a.upTo = to + aheadOf(next)
	close(a.moved)
	a.moved = make(chan struct{})
}

// waitUntil waits until keys up to i may be prepared; false when stopped.
func (a *keysAhead) waitUntil(i int) bool {
	for {
		a.mu.Lock()
		ok, moved := i < a.upTo, a.moved
		a.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-moved:
		case <-a.stop:
			return false
		}
	}
}

// close stops the preparing goroutine and waits until it has: once the
// bulk creation returns, nothing reads its keys' source any more (an
// import's spool is closed after it).
func (a *keysAhead) close() {
	close(a.stop)
	<-a.ended
}
