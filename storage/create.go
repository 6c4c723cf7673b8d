package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// CreateOptions describe one new key.
type CreateOptions struct {
	Name        string
	Permissions model.Permissions
	// Lifetime, when set, makes the key expire that long after its
	// creation. The lifetime policy bounds it, and gives it when unset.
	Lifetime time.Duration
}

// Create stores a new key with every default but its name and permissions.
func (s *Store) Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error) {
	return s.CreateKey(actor, CreateOptions{Name: name, Permissions: perms})
}

// CreateKey stores a new key and returns it with its token, the only time
// the token leaves storage without an explicit reveal.
func (s *Store) CreateKey(actor string, o CreateOptions) (model.Key, model.Token, error) {
	if _, err := model.ValidateName(o.Name); err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	if err := o.Permissions.Validate(); err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	if o.Lifetime != 0 && (o.Lifetime < model.MinLifetime || o.Lifetime > model.MaxLifetime) {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: a lifetime of %s is out of range", model.FormatSpan(o.Lifetime))
	}
	nk := NewKey{Name: o.Name, Permissions: o.Permissions, Lifetime: o.Lifetime}
	// The policy is checked here too, so that its refusal reads as about
	// this key, not as "key 1" of a bulk creation.
	policy, err := s.Policy()
	if err == nil {
		err = policy.bound(&nk, s.clock.Now().UTC().Round(0))
	}
	if err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	var key model.Key
	var tok model.Token
	_, err = s.createKeys(actor, "", []NewKey{nk}, func(made []Imported) { key, tok = made[0].Key, made[0].Token })
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	return key, tok, nil
}

// CreateMany creates one key per name with new tokens, in chunks as Import
// does, with one audit record per key and one mail (a single key mails as
// Create does). It serves bulk creation and building large databases.
func (s *Store) CreateMany(actor string, names []string, perms model.Permissions) ([]model.Key, []model.Token, error) {
	nks := make([]NewKey, len(names))
	for i, n := range names {
		nks[i] = NewKey{Name: n, Permissions: perms}
	}
	keys := make([]model.Key, 0, len(names))
	toks := make([]model.Token, 0, len(names))
	_, err := s.createKeys(actor, "", nks, func(made []Imported) {
		for _, m := range made {
			keys, toks = append(keys, m.Key), append(toks, m.Token)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return keys, toks, nil
}
