package storage

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// loadShards is how many id ranges the key records are read in at start,
// each decoded by its own goroutine.
const loadShards = 12

// Preload loads every cache (the key list and the auth map) now and starts
// following the backend's changes, so that the first request does not
// wait. serve with an HTTP side calls it before it serves HTTP and SSH
// (connections made meanwhile wait in the ports' queues). It pauses the
// garbage collector for a load from a file (gcpause.go): call it before
// anything else in the process runs, for nothing is collected meanwhile.
// Later loads (a lazy first one, or one again after the change stream
// was lost) keep the collector.
func (s *Store) Preload() error {
	resumeGC := s.pauseGC()
	defer resumeGC()
	return s.ensureCaches()
}

// Ready reports whether the store can answer from memory: nil once every
// cache is loaded, the change stream runs and the backend answers.
func (s *Store) Ready() error {
	if _, ok := s.caches.current(); !ok {
		return fmt.Errorf("caches not loaded")
	}
	if _, ok := s.Freshness(); !ok {
		return fmt.Errorf("change stream not running")
	}
	// Bounded: a load balancer's health check must get an answer while
	// etcd has lost its quorum.
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	return s.kv.View(ctx, func(tx kv.ReadTx) error {
		_, err := tx.Revision()
		return err
	})
}

// readyTimeout bounds Ready's read of the backend.
const readyTimeout = time.Second

// idRanges splits the keys bucket by the first character of the id into
// loadShards ranges; the first and last are open, so no id is missed.
func idRanges() []kv.Range {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz" // ids' characters, in byte order
	ranges := make([]kv.Range, loadShards)
	for i := range ranges {
		ranges[i].Bucket = string(bucketKeys)
		if i > 0 {
			ranges[i].From = []byte{alphabet[i*len(alphabet)/loadShards]}
			ranges[i-1].To = ranges[i].From
		}
	}
	return ranges
}

// loadCaches reads every key record and every node's last use at one
// revision, the id ranges concurrently, and builds the caches as of it.
func (s *Store) loadCaches(ctx context.Context) (keyIndex, *authIndex, int64, error) {
	ranges := append(idRanges(), kv.Range{Bucket: string(bucketLastUsed)})
	parts := make([]loadPart, len(ranges)-1)
	var uses [][2][]byte // the last range's: id ‖ 0 ‖ node, time
	var rev int64
	s.dbMu.RLock()
	err := s.guard(func() (err error) {
		rev, err = s.kv.Load(ctx, ranges, func(i int, k, v []byte) error {
			if i == len(parts) {
				uses = append(uses, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
				return nil
			}
			return parts[i].add(k, v)
		})
		return err
	})
	s.dbMu.RUnlock()
	if err != nil {
		return keyIndex{}, nil, 0, fmt.Errorf("load keys: %w", err)
	}
	// The load read every page of a bbolt file: at a million keys that is
	// ~770 MB counted in serve's RSS until dropped (the kernel keeps them
	// cached). Dropped now, before the caches are built beside them; failing
	// to drop them costs memory, not correctness.
	_ = s.ReleaseResident()
	index, byHash := buildCaches(parts)
	for _, u := range uses {
		index.noteUse(u[0], u[1])
	}
	s.giveBack()
	return index, byHash, rev, nil
}

// loadPart is what one range's goroutine decoded, in id order.
type loadPart struct {
	memo    *decodeMemo
	entries []*entry
	slab    []entry // entries are allocated a slab at a time
}

func (p *loadPart) add(k, v []byte) error {
	if p.memo == nil {
		p.memo = newDecodeMemo()
	}
	if len(p.slab) == 0 {
		p.slab = make([]entry, 256)
	}
	ok, err := decodeEntry(&p.slab[0], p.memo, k, v)
	if !ok {
		return err
	}
	p.entries = append(p.entries, &p.slab[0])
	p.slab = p.slab[1:]
	return nil
}

// buildCaches builds the id tree, the auth map and the display-order tree
// from the decoded parts, the three at once.
func buildCaches(parts []loadPart) (keyIndex, *authIndex) {
	index := newKeyIndex()
	n := 0
	for _, p := range parts {
		n += len(p.entries)
	}
	byHash := newAuthIndex(n)
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, p := range parts {
			for _, e := range p.entries {
				index.byID.Load(e) // in id order: appended, not searched
			}
		}
	})
	wg.Go(func() {
		for _, p := range parts {
			for _, e := range p.entries {
				byHash.set(e)
			}
		}
	})
	type placed struct {
		at int64 // the place's first field, compared without reaching the entry
		e  *entry
	}
	all := make([]placed, 0, n)
	for _, p := range parts {
		for _, e := range p.entries {
			all = append(all, placed{e.placeAt, e})
		}
	}
	slices.SortFunc(all, func(a, b placed) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return comparePlaces(a.e.place(), b.e.place())
	})
	for _, p := range all {
		index.order.Load(p.e)
	}
	wg.Wait()
	return index, byHash
}

// decodeEntry decodes a key record into e; ok is false for a record
// without a valid token hash, which cannot authenticate and is left out
// (check reports it). memo may be nil.
func decodeEntry(e *entry, memo *decodeMemo, k, v []byte) (ok bool, err error) {
	var w wireKey
	if !w.scan(v, false, memo) {
		viaJSON := new(wireKey) // w itself stays on the stack
		if err := json.Unmarshal(v, viaJSON); err != nil {
			return false, corrupt("record %x does not decode (%v)", k, err)
		}
		w = *viaJSON
	}
	var rec keyRecord
	if err := w.record(&rec, memo); err != nil {
		return false, corrupt("record %x does not decode (%v)", k, err)
	}
	if len(rec.Hash) != 32 {
		return false, nil
	}
	var arena *textArena
	if memo != nil {
		arena = &memo.arena
	}
	if *e, ok = newEntry(&rec.Key, [32]byte(rec.Hash), rec.Place, arena); !ok {
		return false, corrupt("record %x does not decode (its names are too long)", k)
	}
	return true, nil
}
