package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// feed keeps the caches and the subscribers in step with the backend's
// change stream. Once the caches are loaded at a revision, one goroutine
// applies every later commit to them (this process's, another process's,
// another node's alike) and then tells the subscribers. A writer waits
// until its own commit has been applied, so that it reads what it wrote.
type feed struct {
	mu       sync.Mutex
	starting *loadRun // non-nil while the first load runs
	running  bool     // the goroutine follows the stream
	closed   bool     // the store is closing: nothing starts again
	stream   kv.Stream
	applied  int64         // the last revision the caches reflect
	moved    chan struct{} // closed and replaced when applied or the state changes
	ctx      context.Context
	stop     context.CancelFunc
	done     chan struct{} // closed when the goroutine ends
}

// loadRun lets callers that arrive during the first load wait for it.
type loadRun struct {
	done chan struct{}
	err  error
}

// wake tells waiters that something moved; f.mu is held.
func (f *feed) wake() {
	if f.moved != nil {
		close(f.moved)
	}
	f.moved = make(chan struct{})
}

// ensureCaches loads the caches once and starts following the changes.
// Concurrent callers wait for the one load; no lock that writers take is
// held meanwhile, and commits made during the load arrive by the stream.
func (s *Store) ensureCaches() error {
	f := &s.feed
	f.mu.Lock()
	switch {
	case f.running:
		f.mu.Unlock()
		return nil
	case f.closed:
		f.mu.Unlock()
		return fmt.Errorf("load keys: %w", kv.ErrClosed)
	case f.starting != nil:
		run := f.starting
		f.mu.Unlock()
		<-run.done
		return run.err
	}
	run := &loadRun{done: make(chan struct{})}
	f.starting = run
	if f.ctx == nil {
		f.ctx, f.stop = context.WithCancel(context.Background())
	}
	ctx := f.ctx
	f.mu.Unlock()

	index, byHash, stream, rev, err := s.follow(ctx)

	f.mu.Lock()
	f.starting = nil
	if err == nil && f.closed {
		stream.Close()
		err = fmt.Errorf("load keys: %w", kv.ErrClosed)
	}
	if err == nil {
		s.caches.install(index, byHash)
		s.reminders.bound.forget()
		f.stream, f.applied, f.running, f.done = stream, rev, true, make(chan struct{})
		go s.runFeed(ctx, stream, f.done)
	}
	run.err = err
	f.wake()
	f.mu.Unlock()
	close(run.done)
	return err
}

// cachesWanted reports whether anything has asked for the caches (serve
// preloads them; a command that only compacts never does).
func (s *Store) cachesWanted() bool {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.ctx != nil
}

// follow loads the caches at one revision and opens the stream after it,
// loading again when the stream cannot start there (kv.ErrCompacted).
func (s *Store) follow(ctx context.Context) (keyIndex, *authIndex, kv.Stream, int64, error) {
	for {
		index, byHash, rev, err := s.loadCaches(ctx)
		if err != nil {
			return keyIndex{}, nil, nil, 0, err
		}
		stream, err := s.kv.Changes(ctx, rev)
		if errors.Is(err, kv.ErrCompacted) {
			continue
		}
		if err != nil {
			return keyIndex{}, nil, nil, 0, fmt.Errorf("follow changes: %w", err)
		}
		return index, byHash, stream, rev, nil
	}
}

// runFeed applies the stream's commits until the store closes. A stream
// that fails is resumed from the last applied revision, and when those
// commits are gone (compaction) the caches are loaded again.
func (s *Store) runFeed(ctx context.Context, stream kv.Stream, done chan struct{}) {
	f := &s.feed
	defer func() {
		if stream != nil {
			stream.Close()
		}
		f.mu.Lock()
		f.running = false
		f.wake()
		f.mu.Unlock()
		close(done)
	}()
	for {
		c, err := stream.Next(ctx)
		if err != nil {
			stream.Close()
			if stream, err = s.resume(ctx, err); err != nil {
				return
			}
			continue
		}
		changes, events := decodeCommit(c)
		s.caches.patch(changes)
		s.noteReminders(changes)
		if len(c.Changes) > 0 { // an empty one changed no record, or is etcd's progress notice
			// Before the writer waiting for this commit returns: a subscriber
			// then has its events once the write that made them is done.
			s.publish(coalesce(events))
		}
		f.mu.Lock()
		f.applied = max(f.applied, c.Revision)
		f.wake()
		f.mu.Unlock()
	}
}

// resume opens a new stream after the stream failed with cause: from the
// last applied revision, or, when that is compacted away, after a fresh
// load (subscribers then get an Event with Lost set: re-read everything).
// It retries with a growing pause until the store closes.
func (s *Store) resume(ctx context.Context, cause error) (kv.Stream, error) {
	f := &s.feed
	pause := 50 * time.Millisecond
	for {
		if ctx.Err() != nil || errors.Is(cause, kv.ErrClosed) {
			return nil, cause
		}
		if !errors.Is(cause, kv.ErrCompacted) {
			f.mu.Lock()
			from := f.applied
			f.mu.Unlock()
			stream, err := s.kv.Changes(ctx, from)
			if err == nil {
				f.setStream(stream, from)
				return stream, nil
			}
			cause = err
		}
		if errors.Is(cause, kv.ErrCompacted) {
			index, byHash, stream, rev, err := s.follow(ctx)
			if err == nil {
				s.caches.install(index, byHash)
				s.reminders.bound.forget()
				f.setStream(stream, rev)
				s.publish([]Event{{Lost: true}})
				return stream, nil
			}
			cause = err // follow retries compaction itself: this is another failure
		}
		select {
		case <-time.After(pause):
			pause = min(2*pause, 2*time.Second)
		case <-ctx.Done():
		}
	}
}

// setStream records the stream the feed now reads and where it starts.
func (f *feed) setStream(stream kv.Stream, rev int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stream, f.applied = stream, max(f.applied, rev)
	f.wake()
}

// waitFor returns once the caches reflect revision rev, or at once when
// no feed runs (a command that never loaded the caches has none to update).
func (f *feed) waitFor(rev int64) {
	for {
		f.mu.Lock()
		if run := f.starting; run != nil {
			f.mu.Unlock()
			<-run.done
			continue
		}
		if !f.running || f.applied >= rev {
			f.mu.Unlock()
			return
		}
		moved := f.moved
		f.mu.Unlock()
		<-moved
	}
}

// stopFeed ends the feed's goroutine and waits for it.
func (s *Store) stopFeed() {
	f := &s.feed
	f.mu.Lock()
	f.closed = true
	stop, done := f.stop, f.done
	f.mu.Unlock()
	if stop != nil {
		stop()
	}
	if done != nil {
		<-done
	}
}

// Freshness says how long ago the backend last proved this store's caches
// current: the age of the change stream's last commit or progress notice
// (kv.Stream.Heard). ok is false while the caches are not loaded or no
// stream runs. On bbolt the age is always 0; on etcd it grows while etcd
// does not answer. /auth uses it to fail closed: when the age passes 2 s,
// it answers from AuthenticateDirect instead of the caches, and with 503
// when that read fails too.
func (s *Store) Freshness() (age time.Duration, ok bool) {
	f := &s.feed
	f.mu.Lock()
	stream, running := f.stream, f.running
	f.mu.Unlock()
	if !running || stream == nil {
		return 0, false
	}
	_, at := stream.Heard()
	return max(time.Since(at), 0), true
}
