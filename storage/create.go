package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// Create stores a new active key and returns it with its token, the only
// time the token leaves storage without an explicit reveal.
func (s *Store) Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error) {
	if _, err := model.ValidateName(name); err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	if err := perms.Validate(); err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	keys, toks, err := s.CreateMany(actor, []string{name}, perms)
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	return keys[0], toks[0], nil
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
	_, err := s.createKeys(actor, "", nks, func(k []model.Key, t []model.Token) {
		keys, toks = append(keys, k...), append(toks, t...)
	})
	if err != nil {
		return nil, nil, err
	}
	return keys, toks, nil
}
