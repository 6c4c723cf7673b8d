package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// Audit returns the newest audit records first; limit ≤ 0 means all.
func (s *Store) Audit(limit int) ([]model.AuditEntry, error) {
	var out []model.AuditEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		c := b.Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			var e model.AuditEntry
			if _, err := getJSON(b, k, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}
