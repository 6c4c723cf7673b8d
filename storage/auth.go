package storage

import (
	"crypto/subtle"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
)

// authCache maps token hashes to keys in memory so that authentication
// costs one SHA-256 and one map lookup. It is loaded on first use and kept
// in step with every commit (see Store.update).
type authCache struct {
	mu     sync.RWMutex
	loaded bool
	byHash map[[32]byte]*authEntry
}

// authEntry keeps the stored hash beside the key so that the final check
// compares the record's own bytes, not the map key.
type authEntry struct {
	hash [32]byte
	key  model.Key
}

type cacheChange struct {
	hash    []byte
	key     model.Key
	deleted bool
}

func (c *authCache) apply(changes []cacheChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		return
	}
	for _, ch := range changes {
		if len(ch.hash) != 32 {
			continue // a damaged record: loadAuthCache leaves it out too, and the conversion below would panic
		}
		h := [32]byte(ch.hash)
		if ch.deleted {
			delete(c.byHash, h)
		} else {
			c.byHash[h] = &authEntry{hash: h, key: ch.key}
		}
	}
}

func (s *Store) loadAuthCache() error {
	s.writeMu.Lock() // no commit may slip between the scan and loaded=true
	defer s.writeMu.Unlock()
	if s.auth.loaded {
		return nil
	}
	m := make(map[[32]byte]*authEntry)
	err := s.forEachKey(func(rec keyRecord) {
		if len(rec.Hash) == 32 {
			m[[32]byte(rec.Hash)] = &authEntry{hash: [32]byte(rec.Hash), key: rec.Key}
		}
	})
	if err != nil {
		return fmt.Errorf("load keys: %w", err)
	}
	s.auth.mu.Lock()
	s.auth.byHash, s.auth.loaded = m, true
	s.auth.mu.Unlock()
	return nil
}

// Authenticate returns the key a token belongs to if it is usable at now.
// The expiry is compared here, so a key is refused from its expiry instant
// even when the scheduler has not retired it yet.
func (s *Store) Authenticate(tok model.Token, now time.Time) (model.Key, error) {
	if tok.IsZero() {
		return model.Key{}, ErrUnauthorized
	}
	h := tok.Hash()
	s.auth.mu.RLock()
	e, ok := s.auth.byHash[h]
	loaded := s.auth.loaded
	s.auth.mu.RUnlock()
	if !loaded {
		if err := s.loadAuthCache(); err != nil {
			return model.Key{}, err
		}
		return s.Authenticate(tok, now)
	}
	if !ok || subtle.ConstantTimeCompare(e.hash[:], h[:]) != 1 || !e.key.UsableAt(now) {
		return model.Key{}, ErrUnauthorized
	}
	return e.key, nil
}

// RecordLastUsed writes "last used" times in one transaction. Keys deleted
// or expired meanwhile are skipped; an older time never replaces a newer one.
func (s *Store) RecordLastUsed(used map[string]time.Time) error {
	if len(used) == 0 {
		return nil
	}
	err := s.update(func(w *wtx) error {
		b := w.tx.Bucket(bucketKeys)
		for id, at := range used {
			var rec keyRecord
			found, err := getJSON(b, []byte(id), &rec)
			if err != nil {
				return err
			}
			if !found || !rec.LastUsedAt.Before(at) {
				continue
			}
			rec.LastUsedAt = at
			if err := w.putKey(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record last used: %w", err)
	}
	return nil
}
