package ui

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// memStore is an in-memory Store for benchmarks and for text that real
// storage refuses (names with control characters from an older version or
// a hand-edited database).
type memStore struct {
	mu      sync.Mutex
	org     string
	keys    []model.Key
	audit   []model.AuditEntry
	members []model.Member
	outbox  []model.Notification // newest first
	retries int                  // calls of RetryMailNow
	usage   map[string][]model.UsageHour
	subs    []*memChanges
}

// newMemStore holds n keys created a minute apart before now.
func newMemStore(n int, now time.Time) *memStore {
	s := &memStore{org: "Acme"}
	for i := range n {
		k := model.Key{ID: fmt.Sprintf("k%011d", i), Name: fmt.Sprintf("service %05d", i), Last4: "abcd",
			Permissions: model.AllPermissions(), CreatedAt: now.Add(-time.Duration(n-i) * time.Minute), CreatedBy: "bench"}
		if i%10 == 3 {
			k.ExpiresAt = now.Add(time.Duration(i) * time.Minute)
		}
		if i%4 == 0 {
			k.LastUsedAt = now.Add(-time.Duration(i%90) * time.Minute)
		}
		s.keys = append(s.keys, k)
	}
	return s
}

var errMem = errors.New("not supported by memStore")

func (s *memStore) Organization() string { return s.org }
func (s *memStore) Keys() (KeyList, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return keySlice(append([]model.Key(nil), s.keys...)), nil
}
func (s *memStore) PendingMail() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.outbox {
		if m.State != model.MailSent {
			n++
		}
	}
	return n
}
func (s *memStore) Create(string, string, model.Permissions) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) Rotate(string, string, time.Duration) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) Expire(string, string) error               { return errMem }
func (s *memStore) Disable(string, string) (model.Key, error) { return model.Key{}, errMem }
func (s *memStore) Enable(string, string) (model.Key, error)  { return model.Key{}, errMem }
func (s *memStore) CreateKey(string, storage.CreateOptions) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) RotateUntilIdle(string, string, time.Duration, time.Duration) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) FindToken(model.Token) (model.Key, bool, error)   { return model.Key{}, false, errMem }
func (s *memStore) Rename(string, string, string) (model.Key, error) { return model.Key{}, errMem }
func (s *memStore) SetPermissions(string, string, model.Permissions) (model.Key, error) {
	return model.Key{}, errMem
}
func (s *memStore) Delete(string, string) error                { return errMem }
func (s *memStore) Reveal(string, string) (model.Token, error) { return model.Token{}, errMem }
func (s *memStore) Copy(string, string) (model.Token, error)   { return model.Token{}, errMem }
func (s *memStore) Audit(int) ([]model.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.AuditEntry(nil), s.audit...), nil
}

// Watch subscribes to the member changes memStore makes (its keys do not
// change).
func (s *memStore) Watch() Changes {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &memChanges{ch: make(chan struct{}, 1)}
	s.subs = append(s.subs, c)
	return c
}

// publish tells every subscriber of e; the caller holds mu.
func (s *memStore) publish(e storage.Event) {
	for _, c := range s.subs {
		c.mu.Lock()
		c.events = append(c.events, e)
		c.mu.Unlock()
		select {
		case c.ch <- struct{}{}:
		default:
		}
	}
}

// memChanges is memStore's subscription.
type memChanges struct {
	ch     chan struct{}
	mu     sync.Mutex
	events []storage.Event
}

func (c *memChanges) C() <-chan struct{} { return c.ch }
func (c *memChanges) Close()             {}
func (c *memChanges) Events() []storage.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.events
	c.events = nil
	return out
}

// keySlice is a KeyList over keys already in display order.
type keySlice []model.Key

func (l keySlice) Len() int           { return len(l) }
func (l keySlice) At(i int) model.Key { return l[i] }
func (l keySlice) Find(id string) (int, bool) {
	for i, k := range l {
		if k.ID == id {
			return i, true
		}
	}
	return 0, false
}
func (l keySlice) Ascend(from int, fn func(int, model.Key) bool) {
	for i := max(from, 0); i < len(l) && fn(i, l[i]); i++ {
	}
}

// Usage sums the hours recorded for key id since a time.
func (s *memStore) Usage(id string, since time.Time) (model.Key, model.Usage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := model.Usage{Since: since}
	for _, h := range s.usage[id] {
		if !h.Hour.Before(since.Truncate(time.Hour)) {
			u.Add(&h)
			u.Hours = append(u.Hours, h)
		}
	}
	return model.Key{ID: id}, u, nil
}

// LastSeenAt is the stored last use: memStore serves no /auth.
func (s *memStore) LastSeenAt(k model.Key) time.Time { return k.LastUsedAt }

// IdleDeadline is not offered: memStore has no until-idle rotation.
func (s *memStore) IdleDeadline(model.Key) (time.Time, bool) { return time.Time{}, false }
