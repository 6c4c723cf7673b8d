package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// Rename changes a key's name.
func (s *Store) Rename(actor, id, name string) (model.Key, error) {
	name, err := model.ValidateName(name)
	if err != nil {
		return model.Key{}, fmt.Errorf("rename %s: %w", shownID(id), err)
	}
	return s.edit(actor, id, model.ActionRename, func(k *model.Key) string {
		old := k.Name
		k.Name = name
		return fmt.Sprintf("%q → %q", old, name)
	})
}

// SetPermissions replaces a key's permissions.
func (s *Store) SetPermissions(actor, id string, perms model.Permissions) (model.Key, error) {
	if err := perms.Validate(); err != nil {
		return model.Key{}, fmt.Errorf("%s %s: %w", model.ActionPermissions, shownID(id), err)
	}
	return s.edit(actor, id, model.ActionPermissions, func(k *model.Key) string {
		k.Permissions = perms
		return perms.Summary()
	})
}

// edit applies change to one key and audits it under action.
func (s *Store) edit(actor, id, action string, change func(*model.Key) string) (model.Key, error) {
	var key model.Key
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		detail := change(&rec.Key)
		if err := w.putKey(rec); err != nil {
			return err
		}
		key = rec.Key
		return w.audit(actor, action, &rec.Key, detail)
	})
	if err != nil {
		return model.Key{}, fmt.Errorf("%s %s: %w", action, shownID(id), err)
	}
	return key, nil
}
