package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// FindToken returns the key a token belongs to, whatever its state
// (disabled included); ok is false for a token no key has (never issued,
// expired, deleted). It is a lookup by hash; it changes nothing.
func (s *Store) FindToken(tok model.Token) (key model.Key, ok bool, err error) {
	err = s.read(func(tx kv.ReadTx) (err error) {
		key, ok, err = lookupToken(tx, tok.Hash())
		return err
	})
	if err != nil {
		return model.Key{}, false, fmt.Errorf("find token: %w", err)
	}
	return key, ok, nil
}

// lookupToken reads the key whose token has hash h, with every node's
// newest last use.
func lookupToken(tx kv.ReadTx, h [32]byte) (model.Key, bool, error) {
	id, err := tx.Get(string(bucketHash), h[:])
	if err != nil || id == nil {
		return model.Key{}, false, err
	}
	var rec keyRecord
	found, err := getRecord(tx, bucketKeys, id, &rec)
	if err == nil && found {
		err = newestUse(tx, &rec)
	}
	return rec.Key, found && err == nil, err
}
