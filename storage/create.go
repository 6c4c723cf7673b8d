package storage

import (
	"fmt"
	"slices"

	"github.com/keyrack/keyrack/model"
)

// Create stores a new active key and returns it with its token, the only
// time the token leaves storage without an explicit reveal.
func (s *Store) Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error) {
	keys, toks, err := s.CreateMany(actor, []string{name}, perms)
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	return keys[0], toks[0], nil
}

// CreateMany creates one key per name in a single transaction, each with
// its audit record and mail, as Create does. It exists for imports and
// for building large databases quickly (benchmarks).
func (s *Store) CreateMany(actor string, names []string, perms model.Permissions) ([]model.Key, []model.Token, error) {
	if err := perms.Validate(); err != nil {
		return nil, nil, fmt.Errorf("create key: %w", err)
	}
	names = slices.Clone(names)
	for i, n := range names {
		v, err := model.ValidateName(n)
		if err != nil && len(names) == 1 {
			return nil, nil, fmt.Errorf("create key: %w", err)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("create key %d: %w", i+1, err)
		}
		names[i] = v
	}
	var keys []model.Key
	var toks []model.Token
	err := s.update(func(w *wtx) error {
		keys, toks = keys[:0], toks[:0]
		for _, n := range names {
			key, tok, err := w.createKey(actor, n, perms, nil)
			if err != nil {
				return err
			}
			if err := w.audit(actor, model.ActionCreate, &key, "permissions "+perms.Summary()); err != nil {
				return err
			}
			if err := w.notify(model.NotifyCreated, actor, key, model.Key{}); err != nil {
				return err
			}
			keys, toks = append(keys, key), append(toks, tok)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("create keys: %w", err)
	}
	return keys, toks, nil
}
