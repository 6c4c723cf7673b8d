package kv

import (
	"context"
	"time"
)

// Change is one key written or deleted by a commit.
type Change struct {
	Bucket  string
	Key     []byte
	Value   []byte // nil when Deleted
	Deleted bool
}

// Commit is what one write transaction changed, at its revision. A commit
// with no Changes may also stand for writes outside the records (etcd's
// sequences, marks, elections): every commit up to its revision has been
// delivered.
type Commit struct {
	Revision int64
	Changes  []Change
}

// Stream delivers commits in order. It is used from one goroutine.
type Stream interface {
	// Next blocks until the next commit (or ctx ends). After an error the
	// stream is finished: ErrCompacted (reload), ErrClosed, or the
	// backend's failure.
	Next(ctx context.Context) (Commit, error)
	// Heard says when the backend last proved the stream current (a commit
	// or a progress notice) and up to which revision. Its age is the
	// stream's staleness; an embedded backend is always current.
	Heard() (revision int64, at time.Time)
	// Close ends the stream.
	Close() error
}

// Fence names a leadership: the election key and the revision at which its
// leader was elected. The zero Fence fences nothing.
type Fence struct {
	Key string
	Rev int64
}

// Leader is a won election.
type Leader interface {
	// Fence is what fenced writes compare.
	Fence() Fence
	// Done is closed when the leadership is lost or resigned.
	Done() <-chan struct{}
	// Resign gives the leadership up so another campaigner can take it.
	Resign(ctx context.Context) error
}
