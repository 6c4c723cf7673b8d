package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// FindToken returns the key a token belongs to, whatever its state
// (disabled included); ok is false for a token no key has (never issued,
// expired, deleted). It is a lookup by hash; it changes nothing.
func (s *Store) FindToken(tok model.Token) (key model.Key, ok bool, err error) {
	h := tok.Hash()
	err = s.view(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketHash).Get(h[:])
		if id == nil {
			return nil
		}
		var rec keyRecord
		found, err := getJSON(tx.Bucket(bucketKeys), id, &rec)
		key, ok = rec.Key, found
		return err
	})
	if err != nil {
		return model.Key{}, false, fmt.Errorf("find token: %w", err)
	}
	return key, ok, nil
}
