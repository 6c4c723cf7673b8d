package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// SetExpiry makes a key expire lifetime from now, or never (lifetime 0),
// within the lifetime policy. A rotated key's end is expire's, not this.
func (s *Store) SetExpiry(actor, id string, lifetime time.Duration) (model.Key, error) {
	var key model.Key
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if rec.Rotated() {
			return coded(ErrAlreadyRotated, "key %s is already rotated; it expires at %s (use expire to end it now)", rec.ID, rec.ExpiresAt.Format(time.RFC3339))
		}
		policy, err := readPolicy(w.tx)
		if err != nil {
			return err
		}
		if lifetime == 0 && policy.MaxLifetime > 0 {
			return coded(ErrPolicy, "the lifetime policy (max %s) refuses a key that never expires", model.FormatSpan(policy.MaxLifetime))
		}
		at, err := policy.expiry(w.now, lifetime)
		if err != nil {
			return coded(ErrPolicy, "%s", err)
		}
		if lifetime != 0 {
			if err := w.keepOneActive(rec, coded(ErrLastActiveKey, "cannot give the last active key an expiry: another key without one must remain")); err != nil {
				return err
			}
		}
		if err := w.setExpiry(&rec, at); err != nil {
			return err
		}
		if err := w.putKey(rec); err != nil {
			return err
		}
		key = rec.Key
		detail := "never expires"
		if !at.IsZero() {
			detail = "expires at " + at.Format(time.RFC3339)
		}
		if err := w.audit(actor, model.ActionExpiry, &rec.Key, detail); err != nil {
			return err
		}
		return w.notify(model.NotifyExpiryChanged, actor, rec.Key, model.Key{})
	})
	if err != nil {
		return model.Key{}, fmt.Errorf("expires %s: %w", shownID(id), err)
	}
	return key, nil
}

// setExpiry moves rec's expiry to at (zero: none), with its index entries;
// reminders start afresh from now. The caller writes rec.
func (w *wtx) setExpiry(rec *keyRecord, at time.Time) error {
	if !rec.ExpiresAt.IsZero() {
		if err := w.tx.Delete(string(bucketExpiry), expiryKey(rec.ExpiresAt, rec.ID)); err != nil {
			return err
		}
		if err := w.tx.Delete(string(bucketExpiring), []byte(rec.ID)); err != nil {
			return err
		}
	}
	rec.ExpiresAt, rec.Reminded, rec.ExpirySetAt = at, 0, time.Time{}
	if !at.IsZero() {
		rec.ExpirySetAt = w.now
	}
	return nil
}
