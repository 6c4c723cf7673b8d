package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

// Reveal unseals a key's token for display, and audits it.
func (s *Store) Reveal(actor, id string) (model.Token, error) {
	return s.unseal(actor, id, model.ActionReveal)
}

// Copy unseals a key's token for the clipboard, and audits it.
func (s *Store) Copy(actor, id string) (model.Token, error) {
	return s.unseal(actor, id, model.ActionCopy)
}

func (s *Store) unseal(actor, id, action string) (model.Token, error) {
	var tok model.Token
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if rec.PastExpiry(w.now) {
			// Past its expiry the secret counts as destroyed, even in the
			// moment before the scheduler removes it.
			return coded(ErrNotFound, "key %s has expired", rec.ID)
		}
		plain, err := s.sealer.Load().open(rec.ID, rec.Sealed)
		if err != nil {
			return err
		}
		if tok, err = model.ParseCredential(string(plain)); err != nil {
			return fmt.Errorf("stored token is corrupt: %w", err)
		}
		return w.audit(actor, action, &rec.Key, "")
	})
	if err != nil {
		return model.Token{}, fmt.Errorf("%s %s: %w", action, shownID(id), err)
	}
	return tok, nil
}
