package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"

	"github.com/keyrack/keyrack/storage/kv"
)

// loadShards is how many id ranges the key records are read in at start,
// each decoded by its own goroutine.
const loadShards = 12

// Preload loads every cache (the key list and the auth map) now and starts
// following the backend's changes, so that the first request does not
// wait. serve calls it before it listens.
func (s *Store) Preload() error { return s.ensureCaches() }

// Ready reports whether the store can answer from memory: nil once every
// cache is loaded, the change stream runs and the backend answers.
func (s *Store) Ready() error {
	if _, ok := s.caches.current(); !ok {
		return fmt.Errorf("caches not loaded")
	}
	if _, ok := s.Freshness(); !ok {
		return fmt.Errorf("change stream not running")
	}
	return s.read(func(tx kv.ReadTx) error {
		_, err := tx.Revision()
		return err
	})
}

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
func (s *Store) loadCaches(ctx context.Context) (keyIndex, map[[32]byte]*entry, int64, error) {
	ranges := append(idRanges(), kv.Range{Bucket: string(bucketLastUsed)})
	parts := make([][]*entry, len(ranges)-1)
	var uses [][2][]byte // the last range's: id ‖ 0 ‖ node, time
	var rev int64
	s.dbMu.RLock()
	err := s.guard(func() (err error) {
		rev, err = s.kv.Load(ctx, ranges, func(i int, k, v []byte) error {
			if i == len(parts) {
				uses = append(uses, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
				return nil
			}
			e, err := decodeEntry(k, v)
			if e != nil {
				parts[i] = append(parts[i], e) // ids in order within a range
			}
			return err
		})
		return err
	})
	s.dbMu.RUnlock()
	if err != nil {
		return keyIndex{}, nil, 0, fmt.Errorf("load keys: %w", err)
	}
	index := newKeyIndex()
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	byHash := make(map[[32]byte]*entry, n)
	all := make([]*entry, 0, n)
	for _, p := range parts {
		for _, e := range p {
			index.byID.Load(e) // in id order: appended, not searched
			byHash[e.hash] = e
		}
		all = append(all, p...)
	}
	slices.SortFunc(all, func(a, b *entry) int { return comparePlaces(a.place, b.place) })
	for _, e := range all {
		index.order.Load(e)
	}
	for _, u := range uses {
		index.noteUse(u[0], u[1])
	}
	// Decoding every record leaves garbage several times the size of the
	// caches; give it back now rather than keep it resident until the heap
	// grows again.
	go debug.FreeOSMemory()
	return index, byHash, rev, nil
}

// decodeEntry decodes a key record into a cache entry. A record without a
// valid token hash cannot authenticate and is left out (check reports
// it); nil with an error is a record that does not decode.
func decodeEntry(k, v []byte) (*entry, error) {
	var w wireKey
	if !w.scan(v, false) {
		if err := json.Unmarshal(v, &w); err != nil {
			return nil, corrupt("record %x does not decode (%v)", k, err)
		}
	}
	var rec keyRecord
	if err := w.record(&rec); err != nil {
		return nil, corrupt("record %x does not decode (%v)", k, err)
	}
	if len(rec.Hash) != 32 {
		return nil, nil
	}
	return &entry{key: rec.Key, hash: [32]byte(rec.Hash), place: rec.Place}, nil
}
