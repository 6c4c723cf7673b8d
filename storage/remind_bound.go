package storage

import (
	"sync"
	"time"

	"github.com/keyrack/keyrack/clock"
)

// reminderBound keeps a time at or before every key's next reminder, so
// that the scheduler, which asks when the next reminder falls due on every
// wake (after every commit), need not list the expiring keys each time: at
// a million keys in a rotation's grace period, that listing took half of
// serve's CPU while the rotation ran.
//
// The bound is computed from all keys once, then only lowered by the keys
// the feed applies (a key whose next reminder moves later leaves it early:
// the scheduler then wakes for nothing, lists the keys and computes it
// again). It is forgotten when the keys are loaded afresh, the
// configuration changes or reminders are sent.
type reminderBound struct {
	mu       sync.Mutex
	known    bool      // at bounds every key's next reminder
	at       time.Time // zero: no key has a reminder to come
	scanning int       // computations from all keys running; seen collects meanwhile
	seen     time.Time
	forgets  uint64 // counts forget calls: a computation they overlap is not kept
}

// get returns the bound, if known.
func (b *reminderBound) get() (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.at, b.known
}

// forget makes the next get compute the bound from all keys again.
func (b *reminderBound) forget() {
	b.mu.Lock()
	b.known = false
	b.forgets++
	b.mu.Unlock()
}

// lower notes that some key's next reminder is at (zero: none).
func (b *reminderBound) lower(at time.Time) {
	if at.IsZero() {
		return
	}
	b.mu.Lock()
	if b.known {
		b.at = clock.Earliest(b.at, at)
	}
	if b.scanning > 0 {
		b.seen = clock.Earliest(b.seen, at)
	}
	b.mu.Unlock()
}

// compute returns the bound from scan, which reads all keys, and keeps it
// unless forget was called meanwhile; what the feed applies while scan
// runs counts too, as scan may have read the key before.
func (b *reminderBound) compute(scan func() (time.Time, error)) (time.Time, error) {
	b.mu.Lock()
	if b.scanning == 0 {
		b.seen = time.Time{}
	}
	b.scanning++
	forgets := b.forgets
	b.mu.Unlock()
	at, err := scan()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scanning--
	if err != nil {
		return at, err
	}
	at = clock.Earliest(at, b.seen) // seen since this scan began, or earlier: a lower bound still
	if b.forgets == forgets {
		b.at, b.known = at, true
	}
	return at, nil
}

// noteReminders lowers the reminder bound by the next reminders of the
// keys a commit wrote; the feed calls it before telling the subscribers.
func (s *Store) noteReminders(changes []keyChange) {
	cfg := s.reminders.cfg.Load()
	if cfg == nil || len(cfg.Before) == 0 {
		return
	}
	for _, ch := range changes {
		if e := ch.entry; e != nil && e.expires != 0 {
			s.reminders.bound.lower(nextReminder(fromNanos(e.expires), fromNanos(e.expirySet), time.Duration(e.reminded), cfg.Before))
		}
	}
}
