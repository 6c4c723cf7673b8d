package storage

import (
	"crypto/subtle"
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
