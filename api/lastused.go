package api

import (
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
)

// lastUsed holds the "last used" times not yet written: a request marks
// its key here at once and the flusher writes them all in one transaction,
// so that a busy key costs a map assignment per request, not a write.
//
// The same lock guards the usage counts: per key and hour, allowed and
// refused, by resource and mode. A request adds to its key's current hour;
// only the first request of a key in an hour (per flush) allocates.
type lastUsed struct {
	mu       sync.Mutex
	pending  map[string]time.Time
	flushing map[string]time.Time // taken, not yet written: still seen
	usage    map[usageSlot]*model.UsageHour
}

// usageSlot names one key's hour of counts.
type usageSlot struct {
	id   string
	hour int64 // Unix hours
}

// record counts a request of key id at at for q, allowed or refused, and
// marks the key used when q tracks "last used".
func (l *lastUsed) record(id string, at time.Time, q question, allowed bool) {
	slot := usageSlot{id, at.Unix() / 3600}
	l.mu.Lock()
	if q.tracksLastUsed {
		l.markLocked(id, at)
	}
	u := l.usage[slot]
	if u == nil {
		u = &model.UsageHour{KeyID: id, Hour: time.Unix(slot.hour*3600, 0).UTC()}
		l.usage[slot] = u
	}
	u.Count(q.resource, q.mode, q.mapped, allowed)
	l.mu.Unlock()
}

// mark records that key id was used at at, keeping the later of two times.
func (l *lastUsed) mark(id string, at time.Time) {
	l.mu.Lock()
	l.markLocked(id, at)
	l.mu.Unlock()
}

func (l *lastUsed) markLocked(id string, at time.Time) {
	if prev, ok := l.pending[id]; !ok || at.After(prev) {
		l.pending[id] = at
	}
}

// takeUsage returns the counts gathered since the last call.
func (l *lastUsed) takeUsage() []model.UsageHour {
	l.mu.Lock()
	m := l.usage
	l.usage = make(map[usageSlot]*model.UsageHour, len(m))
	l.mu.Unlock()
	out := make([]model.UsageHour, 0, len(m))
	for _, u := range m {
		out = append(out, *u)
	}
	return out
}

// restoreUsage puts back counts whose write failed.
func (l *lastUsed) restoreUsage(hours []model.UsageHour) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range hours {
		slot := usageSlot{hours[i].KeyID, hours[i].Hour.Unix() / 3600}
		if u := l.usage[slot]; u != nil {
			u.Add(&hours[i])
		} else {
			l.usage[slot] = &hours[i]
		}
	}
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
	if hours := s.used.takeUsage(); len(hours) > 0 {
		if err := s.store.RecordUsage(hours); err != nil {
			s.used.restoreUsage(hours)
			s.log.Error("write usage", "hours", len(hours), "err", err)
		}
	}
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
