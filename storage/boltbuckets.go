package storage

import (
	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	bolt "go.etcd.io/bbolt"
)

// ensureBuckets creates the buckets a bbolt file lacks (a new file, or one
// an older version wrote), so that it holds every bucket as keyrack's
// files always have. It writes only when one is missing.
func (s *Store) ensureBuckets() error {
	var missing [][]byte
	err := s.guard(func() error {
		return s.file.DB().View(func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				if tx.Bucket(b) == nil {
					missing = append(missing, b)
				}
			}
			return nil
		})
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err = s.write(func(tx kv.Tx) error {
		for _, b := range missing {
			if _, err := kvbolt.Raw(tx).CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}
