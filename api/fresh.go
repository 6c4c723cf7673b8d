package api

import (
	"context"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// A node's caches follow the backend's change stream. When the stream
// has been silent for longer than staleAfter (etcd unreachable, a watch
// cut off), /auth stops trusting them: it reads the token's record from
// the backend, waiting at most directTimeout, and answers 503 when that
// read fails too — fail closed rather than let a revoked key in.
const (
	staleAfter    = 2 * time.Second
	directTimeout = time.Second
)

// DirectStore is a Store whose caches can fall behind its backend (a
// cluster); *storage.Store satisfies it. /auth and /healthz use it when
// the Store given to New implements it.
type DirectStore interface {
	Store
	// Freshness is the age of the last proof that the caches are
	// current; ok is false while there is none yet.
	Freshness() (age time.Duration, ok bool)
	// AuthenticateDirect is Authenticate answered by the backend, bounded
	// by ctx.
	AuthenticateDirect(ctx context.Context, tok model.Token, now time.Time) (model.Key, error)
}

// authenticate answers from the caches while they are fresh, else from a
// direct read.
func (s *Server) authenticate(ctx context.Context, tok model.Token, now time.Time) (model.Key, error) {
	if d, ok := s.store.(DirectStore); ok {
		if age, ok := d.Freshness(); ok && age > staleAfter {
			ctx, cancel := context.WithTimeout(ctx, directTimeout)
			defer cancel()
			return d.AuthenticateDirect(ctx, tok, now)
		}
	}
	return s.store.Authenticate(tok, now)
}

// staleness says, for /healthz, that /auth answers from direct reads and
// why; "" while the caches are fresh.
func (s *Server) staleness() string {
	d, ok := s.store.(DirectStore)
	if !ok {
		return ""
	}
	if age, ok := d.Freshness(); ok && age > staleAfter {
		return fmt.Sprintf("answering /auth from direct reads: no news from the database for %s", age.Round(100*time.Millisecond))
	}
	return ""
}
