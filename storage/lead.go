package storage

import (
	"context"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// leadRetry is how long Lead waits after a failed campaign (etcd unreachable).
const leadRetry = time.Second

// Fenced returns a handle on the same database whose every write is fenced
// by f: it commits only while the leadership f names holds, and otherwise
// fails with kv.ErrFenced and changes nothing.
func (s *Store) Fenced(f kv.Fence) *Store { return &Store{core: s.core, fence: f} }

// Lead runs fn each time this process wins the election name, until ctx
// ends or fn fails: fn gets a context that ends when the leadership is
// lost and the store fenced by that leadership. On bbolt the only process
// wins at once; on etcd another node takes over within the session TTL
// when the leader dies.
func (s *Store) Lead(ctx context.Context, name string, fn func(ctx context.Context, st *Store) error) error {
	return kv.Lead(ctx, s.kv, name, leadRetry, func(ctx context.Context, f kv.Fence) error {
		return fn(ctx, s.Fenced(f))
	})
}

// Shared reports whether other processes may use the database at the same
// time (etcd; a bbolt file has one process). A local dashboard then leaves
// the scheduler and the mail worker to the serve nodes.
func (s *Store) Shared() bool { return s.file == nil }
