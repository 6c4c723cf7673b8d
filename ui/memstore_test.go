package ui

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
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
func (s *memStore) List() ([]model.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.Key(nil), s.keys...), nil
}
func (s *memStore) Create(string, string, model.Permissions) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) Rotate(string, string, time.Duration) (model.Key, model.Token, error) {
	return model.Key{}, model.Token{}, errMem
}
func (s *memStore) Expire(string, string) error                      { return errMem }
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
func (s *memStore) Subscribe() (<-chan struct{}, func()) { return make(chan struct{}), func() {} }
