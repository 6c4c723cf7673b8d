package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// RotatedKey is one rotation done by RotateAll.
type RotatedKey struct {
	Key      model.Key   // the new key
	Token    model.Token // its token
	Replaces string      // the id of the key it replaces
}

// RotateAllResult counts what RotateAll did.
type RotateAllResult struct {
	Rotated int
	Skipped int // keys already expiring (rotated before, or changed meanwhile)
}

// RotateAll rotates every active key, as Rotate does one, in chunks of at
// most chunkSize keys (each one transaction with its audit records) and
// sends one mail. Every old key gets the same expiry, so that one expiry
// pass (and one mail) retires them all. The keys are those active when it starts; keys created
// meanwhile are left alone. done, if set, gets each chunk's rotations once
// the chunk has committed.
func (s *Store) RotateAll(actor string, delay time.Duration, done func([]RotatedKey)) (RotateAllResult, error) {
	var res RotateAllResult
	if err := checkDelay(delay); err != nil {
		return res, fmt.Errorf("rotate all: %w", err)
	}
	ids, expiring, err := s.activeIDs()
	if err != nil {
		return res, fmt.Errorf("rotate all: %w", err)
	}
	res.Skipped = expiring
	b, err := s.newBulk(actor, rotationKind(delay))
	if err != nil {
		return res, err
	}
	b.expiresAt = s.clock.Now().UTC().Round(0).Add(delay)
	for start := 0; start < len(ids); start += chunkSize {
		chunk := ids[start:min(start+chunkSize, len(ids))]
		var rotated []RotatedKey
		skipped := 0
		err := b.chunk(start+chunkSize >= len(ids), func(w *wtx) ([]model.NotifiedKey, int, error) {
			rotated, skipped = rotated[:0], 0
			var named []model.NotifiedKey
			for _, id := range chunk {
				var old keyRecord
				found, err := getJSON(w.btx().Bucket(bucketKeys), []byte(id), &old)
				if err != nil {
					return nil, 0, err
				}
				if !found || !old.ExpiresAt.IsZero() {
					skipped++ // deleted or rotated since the list was read
					continue
				}
				key, tok, err := w.rotate(actor, &old, delay, b.expiresAt)
				if err != nil {
					return nil, 0, err
				}
				rotated = append(rotated, RotatedKey{Key: key, Token: tok, Replaces: old.ID})
				if len(named) < model.BulkListed {
					named = append(named, notified(old.Key, &key))
				}
			}
			return named, len(rotated), nil
		})
		if err != nil {
			return res, fmt.Errorf("rotate all: %w", err)
		}
		res.Rotated += len(rotated)
		res.Skipped += skipped
		if done != nil {
			done(rotated)
		}
	}
	return res, nil
}

// activeIDs lists the ids of the active keys and counts the expiring ones,
// reading only keys of the buckets, in one read transaction.
func (s *Store) activeIDs() ([]string, int, error) {
	var ids []string
	expiring := 0
	err := s.view(func(tx *bolt.Tx) error {
		exp := tx.Bucket(bucketExpiring)
		c := tx.Bucket(bucketKeys).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if exp.Get(k) != nil {
				expiring++
				continue
			}
			ids = append(ids, string(k))
		}
		return nil
	})
	return ids, expiring, err
}
