package storage

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
	e, ok := c.byHash.get(h)
	loaded := c.byHash != nil
	c.authMu.RUnlock()
	if !loaded {
		if err := s.ensureCaches(); err != nil {
			return model.Key{}, err
		}
		return s.Authenticate(tok, now)
	}
	if !ok || subtle.ConstantTimeCompare(e.hash[:], h[:]) != 1 {
		return model.Key{}, ErrUnauthorized
	}
	if k := e.key(); k.UsableAt(now) {
		return k, nil
	}
	return model.Key{}, ErrUnauthorized
}

// AuthenticateDirect is Authenticate answered by the backend instead of
// the caches: one read of the token's hash record and of its key, bounded
// by ctx. /auth uses it while the caches may be stale (Freshness older
// than 2 s, or not ok): ErrUnauthorized is an answer; any other error
// means the backend did not answer in time, and /auth then fails closed
// with 503.
func (s *Store) AuthenticateDirect(ctx context.Context, tok model.Token, now time.Time) (model.Key, error) {
	if tok.IsZero() {
		return model.Key{}, ErrUnauthorized
	}
	var key model.Key
	var found bool
	s.dbMu.RLock()
	err := s.guard(func() error {
		return s.kv.View(ctx, func(tx kv.ReadTx) (err error) {
			key, found, err = lookupToken(tx, tok.Hash())
			return err
		})
	})
	s.dbMu.RUnlock()
	switch {
	case err != nil:
		return model.Key{}, fmt.Errorf("authenticate from the database: %w", err)
	case !found || !key.UsableAt(now):
		return model.Key{}, ErrUnauthorized
	}
	return key, nil
}
