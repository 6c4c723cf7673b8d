package api

import (
	"sync"
	"time"
)

// lastUsed holds the "last used" times not yet written: a request marks
// its key here at once and the flusher writes them all in one transaction,
// so that a busy key costs a map assignment per request, not a write.
type lastUsed struct {
	mu       sync.Mutex
	pending  map[string]time.Time
	flushing map[string]time.Time // taken, not yet written: still seen
}

// mark records that key id was used at at, keeping the later of two times.
func (l *lastUsed) mark(id string, at time.Time) {
	l.mu.Lock()
	if prev, ok := l.pending[id]; !ok || at.After(prev) {
		l.pending[id] = at
	}
	l.mu.Unlock()
}

// take returns the pending times and starts a new set; nil when none.
// They stay visible to seen until written says the write is over.
func (l *lastUsed) take() map[string]time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return nil
	}
	m := l.pending
	l.pending = make(map[string]time.Time, len(m))
	l.flushing = m
	return m
}

// written ends a write begun by take (restore first if it failed).
func (l *lastUsed) written() {
	l.mu.Lock()
	l.flushing = nil
	l.mu.Unlock()
}

// seen returns when key id was last used, from the times not yet in the
// database (zero when none).
func (l *lastUsed) seen(id string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := l.pending[id]
	if f := l.flushing[id]; f.After(at) {
		at = f
	}
	return at
}

// restore puts back times whose write failed, so the next flush retries
// them; a time marked meanwhile wins if it is later.
func (l *lastUsed) restore(m map[string]time.Time) {
	for id, at := range m {
		l.mark(id, at)
	}
}

// runFlusher writes the pending times every flushEvery until Shutdown.
func (s *Server) runFlusher() {
	defer close(s.flushed)
	for {
		tick, stopTimer := s.clock.After(s.flushEvery)
		select {
		case <-tick:
			s.Flush() // a failure is logged and retried on the next tick
		case <-s.stop:
			stopTimer()
			return
		}
	}
}

// Flush writes the pending "last used" times now, in one transaction.
// Times that fail to be written stay pending for the next flush.
func (s *Server) Flush() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	m := s.used.take()
	if m == nil {
		return nil
	}
	defer s.used.written()
	if err := s.store.RecordLastUsed(m); err != nil {
		s.used.restore(m)
		s.log.Error("write last used", "keys", len(m), "err", err)
		return err
	}
	s.log.Debug("wrote last used", "keys", len(m))
	return nil
}

// LastSeen returns when /auth last saw key id and has not yet written it
// to the database (zero otherwise): storage's idle check adds it to the
// stored "last used" (storage.Store.SetLastSeen).
func (s *Server) LastSeen(id string) time.Time { return s.used.seen(id) }
