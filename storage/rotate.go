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
	if err := checkDelay(delay); err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("rotate %s: %w", shownID(id), err)
	}
	return s.rotateKey(actor, id, delay, func(w *wtx, old *keyRecord, key model.Key) error {
		return w.notify(rotationKind(delay), actor, old.Key, key)
	})
}

// rotateKey is the rotation transaction both Rotate and RotateUntilIdle
// run: find the key, refuse what cannot be rotated, create its successor
// (the old key expiring at now+delay), then finish, which records what
// the caller's kind of rotation adds and its mail.
func (s *Store) rotateKey(actor, id string, delay time.Duration, finish func(w *wtx, old *keyRecord, key model.Key) error) (model.Key, model.Token, error) {
	var key model.Key
	var tok model.Token
	err := s.update(func(w *wtx) error {
		old, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if err := rotatable(old); err != nil {
			return err
		}
		if key, tok, err = w.rotate(actor, &old, "", delay, w.now.Add(delay)); err != nil {
			return err
		}
		return finish(w, &old, key)
	})
	if err != nil {
		return model.Key{}, model.Token{}, fmt.Errorf("rotate %s: %w", shownID(id), err)
	}
	return key, tok, nil
}

// rotatable refuses a key already rotated (it has a successor) or disabled.
func rotatable(old keyRecord) error {
	switch {
	case old.Rotated():
		return coded(ErrAlreadyRotated, "key %s is already rotated; it expires at %s (use expire to end it now)", old.ID, old.ExpiresAt.Format(time.RFC3339))
	case old.Disabled:
		return coded(ErrDisabled, "key %s is disabled: enable it before rotating it, or delete it", old.ID)
	}
	return nil
}

func checkDelay(delay time.Duration) error {
	if delay < 0 || delay > model.MaxRotationDelay {
		return fmt.Errorf("delay %s out of range", delay)
	}
	return nil
}

func rotationKind(delay time.Duration) model.NotificationKind {
	if delay == 0 {
		return model.NotifyRotated
	}
	return model.NotifyRotationScheduled
}

// rotate creates old's successor and retires old now (delay 0) or sets its
// expiry to until (rotate --all gives every old key the same), with the
// audit record; old is updated in place. The successor's id is newID (a
// random one when empty or taken). A key with a
// lifetime passes it on: the successor lives as long, within the policy,
// and old never outlives its own expiry. The mail is the caller's.
func (w *wtx) rotate(actor string, old *keyRecord, newID string, delay time.Duration, until time.Time) (model.Key, model.Token, error) {
	nk := NewKey{ID: newID, Name: old.Name, Permissions: old.Permissions}
	if !old.ExpiresAt.IsZero() {
		since := old.ExpirySetAt
		if since.IsZero() {
			since = old.CreatedAt
		}
		lifetime := old.ExpiresAt.Sub(since)
		policy, err := readPolicy(w.tx)
		if err != nil {
			return model.Key{}, model.Token{}, err
		}
		if max := policy.MaxLifetime; max > 0 {
			lifetime = min(lifetime, max)
		}
		nk.ExpiresAt = w.now.Add(max(lifetime, model.MinLifetime))
	}
	key, tok, err := w.createKey(actor, nk, old)
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	if delay == 0 {
		if err := w.destroyKey(*old); err != nil {
			return model.Key{}, model.Token{}, err
		}
		return key, tok, w.audit(actor, model.ActionRotate, &old.Key, "replaced by "+key.ID+" immediately")
	}
	if !old.ExpiresAt.IsZero() && old.ExpiresAt.Before(until) {
		until = old.ExpiresAt
	}
	if err := w.setExpiry(old, until); err != nil {
		return model.Key{}, model.Token{}, err
	}
	old.ReplacedBy = key.ID
	if err := w.putKey(*old); err != nil {
		return model.Key{}, model.Token{}, err
	}
	detail := fmt.Sprintf("replaced by %s; old key expires at %s", key.ID, old.ExpiresAt.Format(time.RFC3339))
	return key, tok, w.audit(actor, model.ActionScheduleRot, &old.Key, detail)
}
