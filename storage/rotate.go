package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// Rotate replaces an active key with a new one that inherits its name and
// permissions. With delay 0 the old key is retired at once; otherwise it
// stays usable until now+delay. It returns the new key and its token.
func (s *Store) Rotate(actor, id string, delay time.Duration) (model.Key, model.Token, error) {
	if delay < 0 || delay > model.MaxRotationDelay {
		return model.Key{}, model.Token{}, fmt.Errorf("rotate %s: delay %s out of range", shownID(id), delay)
	}
	var key model.Key
	var tok model.Token
	err := s.update(func(w *wtx) error {
		old, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if !old.ExpiresAt.IsZero() {
			return coded(ErrAlreadyRotated, "key %s is already rotated; it expires at %s (use expire to end it now)", old.ID, old.ExpiresAt.Format(time.RFC3339))
		}
		if key, tok, err = w.createKey(actor, old.Name, old.Permissions, &old); err != nil {
			return err
		}
		if delay == 0 {
			if err := w.destroyKey(old); err != nil {
				return err
			}
			if err := w.audit(actor, model.ActionRotate, &old.Key, "replaced by "+key.ID+" immediately"); err != nil {
				return err
			}
			return w.notify(model.NotifyRotated, actor, old.Key, key)
		}
		old.ExpiresAt = w.now.Add(delay)
		old.ReplacedBy = key.ID
		if err := w.putKey(old); err != nil {
			return err
		}
		detail := fmt.Sprintf("replaced by %s; old key expires at %s", key.ID, old.ExpiresAt.Format(time.RFC3339))
		if err := w.audit(actor, model.ActionScheduleRot, &old.Key, detail); err != nil {
			return err
		}
		return w.notify(model.NotifyRotationScheduled, actor, old.Key, key)
	})
	if err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("rotate %s: %w", shownID(id), err)
	}
	return key, tok, nil
}
