package storage

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// Preload loads every cache (the key list and the auth map) now, so that
// the first request does not. serve calls it before it listens.
func (s *Store) Preload() error { return s.ensureCaches() }

// Ready reports whether the store can answer from memory: nil once every
// cache is loaded and the database is readable.
func (s *Store) Ready() error {
	if _, ok := s.caches.current(); !ok {
		return fmt.Errorf("caches not loaded")
	}
	return s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketKeys) == nil {
			return fmt.Errorf("database %s has no keys bucket", s.path)
		}
		return nil
	})
}

// ensureCaches loads the caches once. Concurrent callers wait for the one
// load; none of them holds the write lock, so commits go on meanwhile and
// are replayed from the backlog.
func (s *Store) ensureCaches() error {
	c := &s.caches
	c.mu.Lock()
	if c.loaded {
		c.mu.Unlock()
		return nil
	}
	if run := c.loading; run != nil {
		c.mu.Unlock()
		<-run.done
		return run.err
	}
	run := &loadRun{done: make(chan struct{})}
	c.loading = run
	c.mu.Unlock()

	index, byHash, txid, err := s.readCaches()

	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(run.done)
	backlog := c.backlog
	c.loading, c.backlog = nil, nil
	if err != nil {
		run.err = fmt.Errorf("load keys: %w", err)
		return run.err
	}
	c.index = index
	for _, b := range backlog {
		if b.txid > txid { // committed after the snapshot the load read
			c.patchTrees(b.changes).applyTo(byHash)
		}
	}
	c.authMu.Lock()
	c.byHash = byHash
	c.authMu.Unlock()
	c.loaded = true
	// Decoding every record leaves garbage several times the size of the
	// caches; give it back now rather than keep it resident until the heap
	// grows again.
	go debug.FreeOSMemory()
	return nil
}

// readCaches decodes every key record in one read transaction and returns
// the caches with the id of the transaction they reflect.
func (s *Store) readCaches() (keyIndex, map[[32]byte]*entry, int, error) {
	index := newKeyIndex()
	byHash := make(map[[32]byte]*entry)
	txid := 0
	err := s.view(func(tx *bolt.Tx) error {
		txid = tx.ID()
		err := tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			if len(rec.Hash) != 32 {
				return nil // a damaged record cannot authenticate; check reports it
			}
			e := &entry{key: rec.Key, hash: [32]byte(rec.Hash), place: rec.Place}
			index.order.Set(e)
			index.byID.Load(e) // ForEach yields ids in order
			byHash[e.hash] = e
			return nil
		})
		if b := tx.Bucket(bucketLastUsed); b != nil && err == nil {
			err = b.ForEach(func(k, v []byte) error { index.noteUse(k, v); return nil })
		}
		return err
	})
	return index, byHash, txid, err
}
