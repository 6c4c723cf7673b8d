package ui

import (
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// Store is what the dashboard needs from storage. FromStorage makes one
// of a *storage.Store; tests use stores of their own.
type Store interface {
	Organization() string
	// Keys is an immutable snapshot of the key list in display order.
	Keys() (KeyList, error)
	// Watch tells of every commit and what it did.
	Watch() Changes
	// PendingMail is how many mails wait for delivery.
	PendingMail() int

	Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error)
	CreateKey(actor string, o storage.CreateOptions) (model.Key, model.Token, error)
	Rotate(actor, id string, delay time.Duration) (model.Key, model.Token, error)
	RotateUntilIdle(actor, id string, idle, max time.Duration) (model.Key, model.Token, error)
	Expire(actor, id string) error
	Disable(actor, id string) (model.Key, error)
	Enable(actor, id string) (model.Key, error)
	Rename(actor, id, name string) (model.Key, error)
	SetPermissions(actor, id string, perms model.Permissions) (model.Key, error)
	Delete(actor, id string) error
	Reveal(actor, id string) (model.Token, error)
	Copy(actor, id string) (model.Token, error)
	// FindToken names the key a token belongs to (ok false: none).
	FindToken(tok model.Token) (k model.Key, ok bool, err error)
	Audit(limit int) ([]model.AuditEntry, error)

	// Usage is what /auth counted of a key since a time, as stored.
	Usage(id string, since time.Time) (model.Key, model.Usage, error)
	// LastSeenAt is when a key was last used, counting /auth's uses not
	// yet written when this process serves /auth (memory only).
	LastSeenAt(k model.Key) time.Time
	// IdleDeadline is when an until-idle rotation's old key retires if it
	// stays quiet (ok false for other keys; memory only).
	IdleDeadline(k model.Key) (at time.Time, ok bool)

	// Members of the organization: admins receive the mail.
	Members() ([]model.Member, error)
	AddMember(actor, email string, role model.Role, sshKeys []string) (model.Member, error)
	SetMemberRole(actor, email string, role model.Role) (model.Member, error)
	AddMemberSSHKey(actor, email, sshKey string) (model.Member, error)
	RemoveMemberSSHKey(actor, email, fingerprint string) (model.Member, error)
	RemoveMember(actor, email string) error

	// The mail outbox, newest first.
	Outbox(limit int) ([]model.Notification, error)
	RetryMailNow() error
}

// KeyList is the key list in display order (a rotation's new key right
// after the key it replaced); *storage.Snapshot is one. At and Find cost
// O(log n), so the dashboard reads only the rows it shows.
//
// An implementation must not change once returned and must be safe for
// concurrent reads, as a *storage.Snapshot is: a filter or sort scans the
// list in a tea.Cmd (computeRows) while View reads the same list.
type KeyList interface {
	Len() int
	At(i int) model.Key
	Find(id string) (int, bool)
	Ascend(from int, fn func(i int, k model.Key) bool)
}

// Changes is a subscription to storage's commits; *storage.Subscription
// is one.
type Changes interface {
	// C signals after one or more commits; it is closed when the store closes.
	C() <-chan struct{}
	// Events drains what happened since the last call.
	Events() []storage.Event
	Close()
}

// FromStorage is the dashboard's Store of a storage.Store.
func FromStorage(s *storage.Store) Store { return storageStore{s} }

type storageStore struct{ *storage.Store }

func (s storageStore) Keys() (KeyList, error) {
	sn, err := s.Store.Keys()
	if err != nil {
		return nil, err
	}
	return sn, nil
}

func (s storageStore) Watch() Changes { return s.Store.Watch() }
