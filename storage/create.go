package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// Create stores a new active key and returns it with its token, the only
// time the token leaves storage without an explicit reveal.
func (s *Store) Create(actor, name string, perms model.Permissions) (model.Key, model.Token, error) {
	name, err := model.ValidateName(name)
	if err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	var key model.Key
	var tok model.Token
	err = s.update(func(w *wtx) error {
		var err error
		if key, tok, err = w.createKey(actor, name, perms, ""); err != nil {
			return err
		}
		if err := w.audit(actor, model.ActionCreate, &key, "permissions "+perms.Summary()); err != nil {
			return err
		}
		return w.notify(model.NotifyCreated, actor, key, model.Key{})
	})
	if err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("create key: %w", err)
	}
	return key, tok, nil
}
