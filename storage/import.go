package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// NewKey is one key to create in bulk (an import).
type NewKey struct {
	Line        int // where it came from, for errors; 0 means its position
	Name        string
	Permissions model.Permissions
	Token       model.Token // zero: generated
	CreatedAt   time.Time   // zero: now
	LastUsedAt  time.Time
	ExpiresAt   time.Time // zero: active, or Lifetime from now
	Lifetime    time.Duration
}

// Import creates keys in chunks of at most chunkSize, each one transaction
// with its audit records, and sends one mail. Before anything is stored,
// every key is checked (name, permissions, expiry, and no token twice in
// the input or already stored); the first problem refuses the whole import
// and names its line, never its token. done, if set, gets each chunk's
// keys and tokens once the chunk has committed.
func (s *Store) Import(actor string, keys []NewKey, done func([]model.Key, []model.Token)) (int, error) {
	return s.createKeys(actor, "imported; ", keys, done)
}

// createKeys checks keys, then stores them as Import describes.
func (s *Store) createKeys(actor, how string, keys []NewKey, done func([]model.Key, []model.Token)) (int, error) {
	if err := s.checkNewKeys(keys); err != nil {
		return 0, err
	}
	b, err := s.newBulk(actor, model.NotifyCreated)
	if err != nil {
		return 0, err
	}
	stored := 0
	for start := 0; start < len(keys); start += chunkSize {
		chunk := keys[start:min(start+chunkSize, len(keys))]
		var made []model.Key
		var toks []model.Token
		err := b.chunk(start+chunkSize >= len(keys), func(w *wtx) ([]model.NotifiedKey, int, error) {
			made, toks = made[:0], toks[:0]
			var named []model.NotifiedKey
			for i, nk := range chunk {
				if nk.Token.IsZero() {
					tok, err := model.GenerateToken(s.rand)
					if err != nil {
						return nil, 0, err
					}
					nk.Token = tok
				}
				k, err := w.insertKey(actor, nk, nil)
				if err != nil {
					return nil, 0, fmt.Errorf("%s: %w", lineOf(nk, start+i), err)
				}
				if err := w.audit(actor, model.ActionCreate, &k, how+"permissions "+k.Permissions.Summary()); err != nil {
					return nil, 0, err
				}
				made, toks = append(made, k), append(toks, nk.Token)
				if len(named) < model.BulkListed {
					named = append(named, notified(k, nil))
				}
			}
			return named, len(made), nil
		})
		if err != nil {
			return stored, fmt.Errorf("create keys: %w", err)
		}
		stored += len(made)
		if done != nil {
			done(made, toks)
		}
	}
	return stored, nil
}

// checkNewKeys refuses the first key that cannot be stored, naming its line.
func (s *Store) checkNewKeys(keys []NewKey) error {
	now := s.clock.Now().UTC().Round(0)
	policy, err := s.Policy()
	if err != nil {
		return err
	}
	seen := make(map[[32]byte]int)
	for i := range keys {
		nk := &keys[i]
		name, err := model.ValidateName(nk.Name)
		if err == nil {
			err = nk.Permissions.Validate()
		}
		if err == nil && !nk.ExpiresAt.IsZero() && !nk.ExpiresAt.After(now) {
			err = fmt.Errorf("the key expired at %s", nk.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if err == nil {
			err = policy.bound(nk, now)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lineOf(*nk, i), err)
		}
		nk.Name = name
		if nk.Token.IsZero() {
			continue
		}
		h := nk.Token.Hash()
		if first, dup := seen[h]; dup {
			return fmt.Errorf("%s: the same token as %s", lineOf(*nk, i), lineOf(keys[first], first))
		}
		seen[h] = i
	}
	return s.view(func(tx *bolt.Tx) error {
		hashes := tx.Bucket(bucketHash)
		for i, nk := range keys {
			if h := nk.Token.Hash(); !nk.Token.IsZero() && hashes.Get(h[:]) != nil {
				return fmt.Errorf("%s: the token is already stored", lineOf(nk, i))
			}
		}
		return nil
	})
}

func lineOf(nk NewKey, i int) string {
	if nk.Line > 0 {
		return fmt.Sprintf("line %d", nk.Line)
	}
	return fmt.Sprintf("key %d", i+1)
}
