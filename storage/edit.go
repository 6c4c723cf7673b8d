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
	return s.edit(actor, id, model.ActionRename, func(_ *wtx, k *model.Key) (string, error) {
		old := k.Name
		k.Name = name
		return fmt.Sprintf("%q → %q", old, name), nil
	})
}

// SetPermissions replaces a key's permissions.
func (s *Store) SetPermissions(actor, id string, perms model.Permissions) (model.Key, error) {
	if err := perms.Validate(); err != nil {
		return model.Key{}, fmt.Errorf("%s %s: %w", model.ActionPermissions, shownID(id), err)
	}
	var before model.Permissions
	key, err := s.edit(actor, id, model.ActionPermissions, func(w *wtx, k *model.Key) (string, error) {
		before, k.Permissions = k.Permissions, perms
		if before == perms {
			return perms.Summary(), nil
		}
		n := w.notice(model.NotifyPermissions, actor, *k)
		n.PermissionsBefore, n.PermissionsAfter = before.String(), perms.String()
		return perms.Summary(), w.mail(n)
	})
	return key, err
}

// edit applies change to one key and audits it under action; change may
// also mail about it in the same transaction.
func (s *Store) edit(actor, id, action string, change func(*wtx, *model.Key) (string, error)) (model.Key, error) {
	var key model.Key
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		detail, err := change(w, &rec.Key)
		if err != nil {
			return err
		}
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
