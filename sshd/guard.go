package sshd

import (
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/ui"
)

// guardedStore is the store as one dashboard session sees it: every call
// that reaches storage first checks that the session's admin still has
// access, so that nothing gets through between a revocation and the
// moment the session closes. Each method of ui.Store that touches storage
// is declared here (guard_test.go checks), so a new one cannot slip past
// unguarded.
type guardedStore struct {
	ui.Store
	check func() error
}

func guard1[T any](g guardedStore, fn func() (T, error)) (T, error) {
	if err := g.check(); err != nil {
		var zero T
		return zero, err
	}
	return fn()
}

func guard0(g guardedStore, fn func() error) error {
	if err := g.check(); err != nil {
		return err
	}
	return fn()
}

// Keys is guarded.
func (g guardedStore) Keys() (ui.KeyList, error) { return guard1(g, g.Store.Keys) }

// Create is guarded.
func (g guardedStore) Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error) {
	if err := g.check(); err != nil {
		return model.Key{}, model.Token{}, err
	}
	return g.Store.Create(actor, name, perms)
}

// Rotate is guarded.
func (g guardedStore) Rotate(actor, id string, delay time.Duration) (model.Key, model.Token, error) {
	if err := g.check(); err != nil {
		return model.Key{}, model.Token{}, err
	}
	return g.Store.Rotate(actor, id, delay)
}

// Expire is guarded.
func (g guardedStore) Expire(actor, id string) error {
	return guard0(g, func() error { return g.Store.Expire(actor, id) })
}

// Rename is guarded.
func (g guardedStore) Rename(actor, id, name string) (model.Key, error) {
	return guard1(g, func() (model.Key, error) { return g.Store.Rename(actor, id, name) })
}

// SetPermissions is guarded.
func (g guardedStore) SetPermissions(actor, id string, perms model.Permissions) (model.Key, error) {
	return guard1(g, func() (model.Key, error) { return g.Store.SetPermissions(actor, id, perms) })
}

// Delete is guarded.
func (g guardedStore) Delete(actor, id string) error {
	return guard0(g, func() error { return g.Store.Delete(actor, id) })
}

// Reveal is guarded.
func (g guardedStore) Reveal(actor, id string) (model.Token, error) {
	return guard1(g, func() (model.Token, error) { return g.Store.Reveal(actor, id) })
}

// Copy is guarded.
func (g guardedStore) Copy(actor, id string) (model.Token, error) {
	return guard1(g, func() (model.Token, error) { return g.Store.Copy(actor, id) })
}

// Audit is guarded.
func (g guardedStore) Audit(limit int) ([]model.AuditEntry, error) {
	return guard1(g, func() ([]model.AuditEntry, error) { return g.Store.Audit(limit) })
}

// Members is guarded.
func (g guardedStore) Members() ([]model.Member, error) { return guard1(g, g.Store.Members) }

// AddMember is guarded.
func (g guardedStore) AddMember(actor, email string, role model.Role, sshKeys []string) (model.Member, error) {
	return guard1(g, func() (model.Member, error) { return g.Store.AddMember(actor, email, role, sshKeys) })
}

// AddMemberSSHKey is guarded.
func (g guardedStore) AddMemberSSHKey(actor, email, sshKey string) (model.Member, error) {
	return guard1(g, func() (model.Member, error) { return g.Store.AddMemberSSHKey(actor, email, sshKey) })
}

// SetMemberRole is guarded.
func (g guardedStore) SetMemberRole(actor, email string, role model.Role) (model.Member, error) {
	return guard1(g, func() (model.Member, error) { return g.Store.SetMemberRole(actor, email, role) })
}

// RemoveMemberSSHKey is guarded.
func (g guardedStore) RemoveMemberSSHKey(actor, email, fingerprint string) (model.Member, error) {
	return guard1(g, func() (model.Member, error) { return g.Store.RemoveMemberSSHKey(actor, email, fingerprint) })
}

// RemoveMember is guarded.
func (g guardedStore) RemoveMember(actor, email string) error {
	return guard0(g, func() error { return g.Store.RemoveMember(actor, email) })
}

// Outbox is guarded.
func (g guardedStore) Outbox(limit int) ([]model.Notification, error) {
	return guard1(g, func() ([]model.Notification, error) { return g.Store.Outbox(limit) })
}

// RetryMailNow is guarded.
func (g guardedStore) RetryMailNow() error { return guard0(g, g.Store.RetryMailNow) }

// RotateUntilIdle is guarded.
func (g guardedStore) RotateUntilIdle(actor, id string, idle, max time.Duration) (model.Key, model.Token, error) {
	if err := g.check(); err != nil {
		return model.Key{}, model.Token{}, err
	}
	return g.Store.RotateUntilIdle(actor, id, idle, max)
}

// Disable is guarded.
func (g guardedStore) Disable(actor, id string) (model.Key, error) {
	return guard1(g, func() (model.Key, error) { return g.Store.Disable(actor, id) })
}

// Enable is guarded.
func (g guardedStore) Enable(actor, id string) (model.Key, error) {
	return guard1(g, func() (model.Key, error) { return g.Store.Enable(actor, id) })
}

// FindToken is guarded: it tells whether a token is a live key.
func (g guardedStore) FindToken(tok model.Token) (model.Key, bool, error) {
	if err := g.check(); err != nil {
		return model.Key{}, false, err
	}
	return g.Store.FindToken(tok)
}

// CreateKey is guarded.
func (g guardedStore) CreateKey(actor string, o storage.CreateOptions) (model.Key, model.Token, error) {
	if err := g.check(); err != nil {
		return model.Key{}, model.Token{}, err
	}
	return g.Store.CreateKey(actor, o)
}

// Usage is guarded.
func (g guardedStore) Usage(id string, since time.Time) (model.Key, model.Usage, error) {
	if err := g.check(); err != nil {
		return model.Key{}, model.Usage{}, err
	}
	return g.Store.Usage(id, since)
}
