package storage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
// since the last Events call. Commits reach it through the backend's
// change stream, so a change made by another process or node on a shared
// backend arrives the same way as this process's own.
type Subscription struct {
	store  *Store
	ch     chan struct{}
	mu     sync.Mutex
	events []Event
	lost   bool
	once   sync.Once
}

// Watch subscribes to the store's commits. Close the subscription when done.
// It starts following the backend's changes (loading the caches) if nothing
// has yet; should that load fail, the subscription hears nothing until a
// later call (Keys, Authenticate, Preload) loads them.
func (s *Store) Watch() *Subscription {
	_ = s.ensureCaches() // its error reaches the caller's next read
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

// auditRecord is an audit entry as stored; a member change also names the
// member, for the subscribers' events.
type auditRecord struct {
	model.AuditEntry
	Member string `json:"member,omitempty"`
}

// decodeCommit reads what one commit did to the keys (for the caches) and
// the events its audit records tell (for the subscribers).
func decodeCommit(c kv.Commit) ([]keyChange, []Event) {
	var changes []keyChange
	var audit []auditRecord
	for _, ch := range c.Changes {
		switch ch.Bucket {
		case string(bucketKeys):
			kc := keyChange{id: string(ch.Key)}
			if !ch.Deleted {
				e := new(entry)
				if ok, _ := decodeEntry(e, nil, ch.Key, ch.Value); ok { // a record that does not decode leaves the caches
					kc.entry = e
				}
			}
			changes = append(changes, kc)
		case string(bucketLastUsed):
			id, _, ok := bytes.Cut(ch.Key, []byte{0})
			if at := lastUseTime(ch.Value); ok && !ch.Deleted && !at.IsZero() { // deleted only with the key
				changes = append(changes, keyChange{id: string(id), used: at})
			}
		case string(bucketAudit):
			var r auditRecord
			if !ch.Deleted && json.Unmarshal(ch.Value, &r) == nil {
				audit = append(audit, r)
			}
		}
	}
	slices.SortFunc(audit, func(a, b auditRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	events := make([]Event, len(audit))
	for i, r := range audit {
		events[i] = Event{At: r.At, Actor: r.Actor, Action: r.Action, KeyID: r.KeyID, KeyName: r.KeyName, Member: r.Member}
		if r.KeyID != "" {
			events[i].Count = 1
		}
	}
	return changes, events
}
