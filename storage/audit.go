package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// Audit returns the newest audit records first; limit ≤ 0 means all.
func (s *Store) Audit(limit int) ([]model.AuditEntry, error) {
	out, err := newestFirst[model.AuditEntry](s, bucketAudit, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// newestFirst decodes the records of a sequence-keyed bucket from the
// newest back, at most limit of them (all when limit ≤ 0).
func newestFirst[T any](s *Store, bucket []byte, limit int) ([]T, error) {
	var out []T
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		c := b.Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			var v T
			if _, err := getJSON(b, k, &v); err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// AuditCount returns how many audit records exist. Records are never
// deleted, so the bucket's sequence counts them without a scan.
func (s *Store) AuditCount() (int, error) {
	var n uint64
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketAudit).Sequence()
		return nil
	})
	return int(n), err
}
