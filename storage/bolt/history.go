package bolt

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// history keeps the most recent commits so that a stream can start at a
// revision read a moment ago (a load), as etcd's Watch can. Older commits
// are forgotten: a stream that needs them gets kv.ErrCompacted. It is
// bounded by count and by the bytes of keys and values it holds (a chunk
// of a bulk import is about 1 MB); the newest commit is always kept.
type history struct {
	mu       sync.Mutex
	commits  []kv.Commit // ascending revisions
	max      int
	maxBytes int
	bytes    int   // of keys and values in commits
	floor    int64 // commits at or below floor are not known
	rev      int64 // the last committed revision
	wake     chan struct{}
	closed   bool
}

func newHistory(rev int64, max, maxBytes int) *history {
	return &history{max: max, maxBytes: maxBytes, floor: rev, rev: rev, wake: make(chan struct{})}
}

// add keeps c, also when it changed nothing: a writer waiting for its
// commit to come through a stream then sees it.
func (h *history) add(c kv.Commit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rev = c.Revision
	h.commits = append(h.commits, c)
	h.bytes += commitBytes(c)
	drop := 0
	for n := len(h.commits) - drop; n > 1 && (n > h.max || h.bytes > h.maxBytes); n-- {
		h.bytes -= commitBytes(h.commits[drop])
		h.floor = h.commits[drop].Revision
		drop++
	}
	if drop > 0 {
		h.commits = append(h.commits[:0], h.commits[drop:]...)
	}
	if h.closed {
		return // a write that was running when Close began: wake is closed already
	}
	close(h.wake)
	h.wake = make(chan struct{})
}

func commitBytes(c kv.Commit) int {
	n := 0
	for _, ch := range c.Changes {
		n += len(ch.Key) + len(ch.Value)
	}
	return n
}

func (h *history) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.wake)
	}
}

// after returns the first commit after rev, or a channel that is closed
// when there may be one.
func (h *history) after(rev int64) (kv.Commit, bool, <-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return kv.Commit{}, false, nil, kv.ErrClosed
	case rev < h.floor:
		return kv.Commit{}, false, nil, kv.ErrCompacted
	}
	i := sort.Search(len(h.commits), func(i int) bool { return h.commits[i].Revision > rev })
	if i < len(h.commits) {
		return h.commits[i], true, nil, nil
	}
	return kv.Commit{}, false, h.wake, nil
}

// Changes streams the commits after revision after from the history.
func (b *Backend) Changes(ctx context.Context, after int64) (kv.Stream, error) {
	if _, _, _, err := b.history.after(after); err != nil {
		return nil, err
	}
	return &stream{h: b.history, pos: after, done: make(chan struct{})}, nil
}

// stream reads the history from its position on.
type stream struct {
	h    *history
	pos  int64
	done chan struct{}
	once sync.Once
}

func (s *stream) Next(ctx context.Context) (kv.Commit, error) {
	for {
		c, ok, wake, err := s.h.after(s.pos)
		if err != nil {
			return kv.Commit{}, err
		}
		if ok {
			s.pos = c.Revision
			return c, nil
		}
		select {
		case <-wake:
		case <-s.done:
			return kv.Commit{}, kv.ErrClosed
		case <-ctx.Done():
			return kv.Commit{}, ctx.Err()
		}
	}
}

// Heard: a local file is always current.
func (s *stream) Heard() (int64, time.Time) {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	return s.h.rev, time.Now()
}

func (s *stream) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}
