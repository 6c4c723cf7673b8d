package bolt

import (
	"context"
	"sort"
	"sync"
	"time"
	"unsafe"

	"github.com/keyrack/keyrack/storage/kv"
)

// history keeps the commits that a stream may still ask for, so that a
// stream can start at a revision read a moment ago (a load), as etcd's
// Watch can. It keeps a commit while
//   - an open stream has not read it yet,
//   - a load pinned a revision before it and has not opened its stream
//     (for at most pinFor), or
//   - it is among the last recentCommits, recentBytes in all;
//
// and never more than max commits, maxBytes in all, whoever still needs
// them (a stream that has fallen that far behind gets kv.ErrCompacted and
// loads again); the newest commit is always kept. Bytes are counted as
// the memory the commits take: the Change structs and their keys' and
// values' allocations. So once bulk work is read by every stream, what it
// wrote is let go instead of staying in memory until newer commits push it
// out: at a million keys a rotation's last commits held ~100 MB.
type history struct {
	mu       sync.Mutex
	commits  []kv.Commit // ascending revisions
	sizes    []int       // bytes of each commit, as commitBytes counts them
	max      int
	maxBytes int
	bytes    int   // the sum of sizes
	floor    int64 // commits at or below floor are not known
	rev      int64 // the last committed revision
	streams  map[*stream]struct{}
	pins     []pin
	now      func() time.Time
	wake     chan struct{}
	closed   bool
}

// pin keeps the commits after rev until a stream opens there or until.
type pin struct {
	rev   int64
	until time.Time
}

const (
	recentCommits = 16
	recentBytes   = 1 << 20
	pinFor        = 2 * time.Minute // longer than a load of a cold file with a million keys
)

func newHistory(rev int64, max, maxBytes int) *history {
	return &history{max: max, maxBytes: maxBytes, floor: rev, rev: rev, streams: map[*stream]struct{}{},
		now: time.Now, wake: make(chan struct{})}
}

// add keeps c, also when it changed nothing: a writer waiting for its
// commit to come through a stream then sees it.
func (h *history) add(c kv.Commit) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rev = c.Revision
	size := commitBytes(c)
	h.commits, h.sizes = append(h.commits, c), append(h.sizes, size)
	h.bytes += size
	h.trim()
	if h.closed {
		return // a write that was running when Close began: wake is closed already
	}
	close(h.wake)
	h.wake = make(chan struct{})
}

// trim forgets the oldest commits that are too many, or that nobody needs;
// h.mu is held.
func (h *history) trim() {
	needed := h.needed()
	drop := 0
	for n := len(h.commits); n > 0; n-- {
		c := h.commits[drop]
		over := n > 1 && (n > h.max || h.bytes > h.maxBytes)
		unneeded := c.Revision <= needed && (n > recentCommits || h.bytes > recentBytes)
		if !over && !unneeded {
			break
		}
		h.bytes -= h.sizes[drop]
		h.floor = c.Revision
		drop++
	}
	if drop > 0 {
		clear(h.commits[:drop]) // the dropped commits' changes can be collected
		h.commits = append(h.commits[:0], h.commits[drop:]...)
		h.sizes = append(h.sizes[:0], h.sizes[drop:]...)
	}
}

// needed is the revision after which some stream or pin still needs the
// commits (h.rev: none); expired pins are dropped. h.mu is held.
func (h *history) needed() int64 {
	needed := h.rev
	for s := range h.streams {
		needed = min(needed, s.pos)
	}
	now := h.now()
	live := h.pins[:0]
	for _, p := range h.pins {
		if now.Before(p.until) {
			live = append(live, p)
			needed = min(needed, p.rev)
		}
	}
	clear(h.pins[len(live):])
	h.pins = live
	return needed
}

// changeBytes is what a Change struct takes besides its key and value.
const changeBytes = int(unsafe.Sizeof(kv.Change{}))

func commitBytes(c kv.Commit) int {
	n := cap(c.Changes) * changeBytes
	for _, ch := range c.Changes {
		n += cap(ch.Key) + cap(ch.Value)
	}
	return n
}

// pin keeps the commits after rev for a stream about to open there.
func (h *history) pin(rev int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pins = append(h.pins, pin{rev: rev, until: h.now().Add(pinFor)})
}

// unpin lets go of one pin at rev, if any.
func (h *history) unpin(rev int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.dropPin(rev) {
		h.trim()
	}
}

// dropPin removes one pin at rev, if any; h.mu is held.
func (h *history) dropPin(rev int64) bool {
	for i, p := range h.pins {
		if p.rev == rev {
			h.pins = append(h.pins[:i], h.pins[i+1:]...)
			return true
		}
	}
	return false
}

func (h *history) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.wake)
	}
}

// open starts a stream after rev, letting go of a load's pin there.
func (h *history) open(rev int64) (*stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return nil, kv.ErrClosed
	case rev < h.floor:
		return nil, kv.ErrCompacted
	}
	s := &stream{h: h, pos: rev, done: make(chan struct{})}
	h.streams[s] = struct{}{}
	h.dropPin(rev)
	return s, nil
}

// next returns the first commit after s's position and moves s past it,
// or a channel that is closed when there may be one. Commits that no one
// needs any more are forgotten as streams move on.
func (h *history) next(s *stream) (kv.Commit, bool, <-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return kv.Commit{}, false, nil, kv.ErrClosed
	case s.pos < h.floor:
		return kv.Commit{}, false, nil, kv.ErrCompacted
	}
	i := sort.Search(len(h.commits), func(i int) bool { return h.commits[i].Revision > s.pos })
	if i == len(h.commits) {
		return kv.Commit{}, false, h.wake, nil
	}
	c := h.commits[i]
	s.pos = c.Revision
	if i == 0 {
		h.trim() // s may have been the one that needed it
	}
	return c, true, nil, nil
}

// leave forgets a closed stream.
func (h *history) leave(s *stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.streams, s)
	h.trim()
}

// Changes streams the commits after revision after from the history.
func (b *Backend) Changes(ctx context.Context, after int64) (kv.Stream, error) {
	return b.history.open(after)
}

// stream reads the history from its position on (pos is guarded by h.mu).
type stream struct {
	h    *history
	pos  int64
	done chan struct{}
	once sync.Once
}

func (s *stream) Next(ctx context.Context) (kv.Commit, error) {
	for {
		c, ok, wake, err := s.h.next(s)
		if err != nil {
			return kv.Commit{}, err
		}
		if ok {
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
	s.once.Do(func() {
		close(s.done)
		s.h.leave(s)
	})
	return nil
}
