package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// Delete removes a key at once. The last active (non-expiring) key cannot
// be deleted: ErrLastActiveKey, code last_non_expiring_api_key.
func (s *Store) Delete(actor, id string) error {
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if err := w.keepOneActive(rec, ErrLastActiveKey); err != nil {
			return err
		}
		if err := w.destroyKey(rec); err != nil {
			return err
		}
		if err := w.audit(actor, model.ActionDelete, &rec.Key, ""); err != nil {
			return err
		}
		return w.notify(model.NotifyDeleted, actor, rec.Key, model.Key{})
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", shownID(id), err)
	}
	return nil
}
