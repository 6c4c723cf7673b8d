package api

import (
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
)

// lastUsed holds what requests told of their keys and is not yet
// written: the "last used" times and the usage counts (per key and hour,
// allowed and refused, by resource and mode). A request updates its key's
// entry at once under one lock and one map lookup; the flusher writes them
// all, so that a busy key costs no write per request. Only the first
// request of a key in an hour (per flush) allocates.
type lastUsed struct {
	mu       sync.Mutex
	keys     map[string]*keyUse
	flushing map[string]time.Time // taken, not yet written: still seen
}

// keyUse is one key's entry.
type keyUse struct {
	at    time.Time          // the last use to write (zero: none)
	hour  int64              // the Unix hour of the last of hours
	hours []*model.UsageHour // the counts to write, the current hour last
}

func newLastUsed() lastUsed { return lastUsed{keys: make(map[string]*keyUse)} }

// entry returns key id's entry, creating it. The caller holds mu.
func (l *lastUsed) entry(id string) *keyUse {
	e := l.keys[id]
	if e == nil {
		e = &keyUse{}
		l.keys[id] = e
	}
	return e
}

// record counts a request of key id at at for q, allowed or refused, and
// marks the key used when q tracks "last used".
func (l *lastUsed) record(id string, at time.Time, q question, allowed bool) {
	hour := at.Unix() / 3600
	l.mu.Lock()
	e := l.entry(id)
	if q.tracksLastUsed && at.After(e.at) {
		e.at = at
	}
	if len(e.hours) == 0 || e.hour != hour {
		e.hours = append(e.hours, &model.UsageHour{KeyID: id, Hour: time.Unix(hour*3600, 0).UTC()})
		e.hour = hour
	}
	e.hours[len(e.hours)-1].Count(q.resource, q.mode, q.mapped, allowed)
	l.mu.Unlock()
}

// mark records that key id was used at at, keeping the later of two times.
func (l *lastUsed) mark(id string, at time.Time) {
	l.mu.Lock()
	if e := l.entry(id); at.After(e.at) {
		e.at = at
	}
	l.mu.Unlock()
}

// take returns the pending times (nil when none) and counts, and starts
// afresh. The times stay visible to seen until written says the write is over.
func (l *lastUsed) take() (map[string]time.Time, []model.UsageHour) {
	l.mu.Lock()
	old := l.keys
	l.keys = make(map[string]*keyUse, len(old))
	var times map[string]time.Time
	var hours []model.UsageHour
	for id, e := range old {
		if !e.at.IsZero() {
			if times == nil {
				times = make(map[string]time.Time, len(old))
			}
			times[id] = e.at
		}
		for _, h := range e.hours {
			hours = append(hours, *h)
		}
	}
	l.flushing = times
	l.mu.Unlock()
	return times, hours
}

// restoreUsage puts back counts whose write failed.
func (l *lastUsed) restoreUsage(hours []model.UsageHour) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range hours {
		e := l.entry(hours[i].KeyID)
		e.hours = append([]*model.UsageHour{&hours[i]}, e.hours...) // older than what came since
		if len(e.hours) == 1 {
			e.hour = hours[i].Hour.Unix() / 3600
		}
	}
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
	var at time.Time
	if e := l.keys[id]; e != nil {
		at = e.at
	}
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
	m, hours := s.used.take()
	if len(hours) > 0 {
		if err := s.store.RecordUsage(hours); err != nil {
			s.used.restoreUsage(hours)
			s.log.Error("write usage", "hours", len(hours), "err", err)
		}
	}
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
