package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
	err := s.read(func(tx kv.ReadTx) error {
		out = nil
		return tx.Scan(kv.Range{Bucket: string(bucket)}, true, func(k, v []byte) error {
			if limit > 0 && len(out) == limit {
				return kv.ErrStop
			}
			var rec T
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	return out, err
}

// AuditCount returns how many audit records exist. Records are never
// deleted, so the bucket's sequence counts them without a scan.
func (s *Store) AuditCount() (int, error) {
	var n uint64
	err := s.read(func(tx kv.ReadTx) (err error) {
		n, err = tx.Sequence(string(bucketAudit))
		return err
	})
	return int(n), err
}
