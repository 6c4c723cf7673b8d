package storage

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/keyrack/keyrack/model"
)

// listCache holds the sorted key list for List. Every open dashboard lists
// the keys after every change; with many sessions and 100,000 keys,
// decoding the bucket for each of them would dominate. The list is read
// once, then each commit patches a copy (see Store.update), so readers
// share one immutable slice.
type listCache struct {
	mu     sync.Mutex
	loaded bool
	keys   []model.Key
}

// List returns every key, oldest first. The slice is shared with other
// callers: read it, never modify it.
func (s *Store) List() ([]model.Key, error) {
	s.list.mu.Lock()
	keys, loaded := s.list.keys, s.list.loaded
	s.list.mu.Unlock()
	if loaded {
		return keys, nil
	}
	// Hold the write lock while reading, so that no commit falls between
	// the read and the moment the cache starts following commits. The
	// order (writeMu, then list.mu) is the one update uses.
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.list.mu.Lock()
	defer s.list.mu.Unlock()
	if s.list.loaded {
		return s.list.keys, nil
	}
	keys, err := s.readKeys()
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	s.list.keys, s.list.loaded = keys, true
	return keys, nil
}

func (s *Store) readKeys() ([]model.Key, error) {
	var keys []model.Key
	if err := s.forEachKey(func(rec keyRecord) { keys = append(keys, rec.Key) }); err != nil {
		return nil, err
	}
	slices.SortFunc(keys, compareKeys)
	return keys, nil
}

// compareKeys orders keys by creation time, then id.
func compareKeys(a, b model.Key) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// apply patches a copy of the list with a commit's changes. A key's
// creation time never changes, so its place is found by binary search.
func (c *listCache) apply(changes []cacheChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded || len(changes) == 0 {
		return
	}
	keys := slices.Clone(c.keys)
	for _, ch := range changes {
		i, found := slices.BinarySearchFunc(keys, ch.key, compareKeys)
		switch {
		case ch.deleted && found:
			keys = slices.Delete(keys, i, i+1)
		case ch.deleted:
		case found:
			keys[i] = ch.key
		default:
			keys = slices.Insert(keys, i, ch.key)
		}
	}
	c.keys = keys
}
