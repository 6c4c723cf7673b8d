package storage

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// Authenticate returns the key a token belongs to if it is usable at now.
// It costs one SHA-256 and one map lookup; the expiry is compared here, so
// a key is refused from its expiry instant even when the scheduler has not
// retired it yet. Before the caches are loaded (serve preloads them) the
// first call loads them, without the write lock.
func (s *Store) Authenticate(tok model.Token, now time.Time) (model.Key, error) {
	if tok.IsZero() {
		return model.Key{}, ErrUnauthorized
	}
	h := tok.Hash()
	c := &s.caches
	c.authMu.RLock()
	e, ok := c.byHash[h]
	loaded := c.byHash != nil
	c.authMu.RUnlock()
	if !loaded {
		if err := s.ensureCaches(); err != nil {
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
		b := w.btx().Bucket(bucketKeys)
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
