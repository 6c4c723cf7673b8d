package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// bucketDisabled lists the disabled keys: id → nothing.
var bucketDisabled = []byte("disabled")

// Disable stops a key from authenticating at once; it keeps its secret,
// permissions and history. The last enabled active key cannot be disabled
// (ErrLastActiveKey). Disabling a disabled key changes nothing.
func (s *Store) Disable(actor, id string) (model.Key, error) {
	return s.setDisabled(actor, id, true)
}

// Enable lets a disabled key authenticate again.
func (s *Store) Enable(actor, id string) (model.Key, error) {
	return s.setDisabled(actor, id, false)
}

func (s *Store) setDisabled(actor, id string, off bool) (model.Key, error) {
	action, kind := model.ActionEnable, model.NotifyEnabled
	if off {
		action, kind = model.ActionDisable, model.NotifyDisabled
	}
	var key model.Key
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if key = rec.Key; rec.Disabled == off {
			return nil
		}
		if off {
			if err := w.keepOneActive(rec, coded(ErrLastActiveKey, "cannot disable the last active key")); err != nil {
				return err
			}
		}
		rec.Disabled = off
		if err := w.putKey(rec); err != nil {
			return err
		}
		key = rec.Key
		if err := w.audit(actor, action, &rec.Key, ""); err != nil {
			return err
		}
		return w.notify(kind, actor, rec.Key, model.Key{})
	})
	if err != nil {
		return model.Key{}, fmt.Errorf("%s %s: %w", action, shownID(id), err)
	}
	return key, nil
}

// indexDisabled keeps rec's entry in the disabled list in step with it.
func (w *wtx) indexDisabled(rec keyRecord) error {
	if rec.Disabled {
		return w.tx.Put(string(bucketDisabled), []byte(rec.ID), nil)
	}
	return w.tx.Delete(string(bucketDisabled), []byte(rec.ID))
}
