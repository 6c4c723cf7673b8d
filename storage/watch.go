package storage

import (
	"sync"
	"time"
)

// maxPendingEvents bounds what one subscription keeps between two Events calls.
const maxPendingEvents = 256

// Event says what one commit did. A bulk chunk (an expiry pass, rotate
// --all, an import) is one Event per action with Count keys and no key
// named; a single-key operation has Count 1; a member change names the
// Member and has Count 0.
type Event struct {
	At      time.Time
	Actor   string
	Action  string // model.Action*
	KeyID   string
	KeyName string
	Member  string
	Count   int
	Lost    bool // events were dropped because the subscriber fell behind
}

// Subscription receives a signal after every commit and keeps the events
// since the last Events call.
type Subscription struct {
	store  *Store
	ch     chan struct{}
	mu     sync.Mutex
	events []Event
	lost   bool
	once   sync.Once
}

// Watch subscribes to the store's commits. Close the subscription when done.
func (s *Store) Watch() *Subscription {
	sub := &Subscription{store: s, ch: make(chan struct{}, 1)}
	s.subMu.Lock()
	if s.closed {
		sub.end()
	} else {
		s.subs[sub] = struct{}{}
	}
	s.subMu.Unlock()
	return sub
}

// C receives one coalesced signal after one or more commits; it is closed
// when the subscription or the store closes.
func (sub *Subscription) C() <-chan struct{} { return sub.ch }

// Events drains what happened since the last call, oldest first. When more
// than a bounded number piled up, the oldest were dropped and the first
// Event returned has Lost set.
func (sub *Subscription) Events() []Event {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	out := sub.events
	if sub.lost {
		out = append([]Event{{Lost: true}}, out...)
	}
	sub.events, sub.lost = nil, false
	return out
}

// Close ends the subscription.
func (sub *Subscription) Close() {
	sub.store.subMu.Lock()
	delete(sub.store.subs, sub)
	sub.store.subMu.Unlock()
	sub.end()
}

func (sub *Subscription) end() { sub.once.Do(func() { close(sub.ch) }) }

func (sub *Subscription) deliver(events []Event) {
	sub.mu.Lock()
	sub.events = append(sub.events, events...)
	if over := len(sub.events) - maxPendingEvents; over > 0 {
		sub.events = append(sub.events[:0], sub.events[over:]...)
		sub.lost = true
	}
	sub.mu.Unlock()
	select {
	case sub.ch <- struct{}{}:
	default: // a signal is already waiting
	}
}

// Subscribers returns how many subscriptions are open (for leak tests).
func (s *Store) Subscribers() int {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	return len(s.subs)
}

// publish hands a commit's events to every subscriber.
func (s *Store) publish(events []Event) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for sub := range s.subs {
		sub.deliver(events)
	}
}

// coalesce turns the events of one commit into what subscribers see: the
// events of a bulk chunk (many keys, one action) become one Event with
// Count set.
func coalesce(events []Event) []Event {
	if len(events) <= 1 {
		return events
	}
	var out []Event
	for _, e := range events {
		if n := len(out); n > 0 && e.Member == "" && out[n-1].Member == "" && out[n-1].Action == e.Action && out[n-1].Actor == e.Actor {
			out[n-1].Count += e.Count
			out[n-1].KeyID, out[n-1].KeyName = "", ""
			continue
		}
		out = append(out, e)
	}
	return out
}
