package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// addedBuckets are the buckets later versions added, each with how to fill
// it from what an older database holds (nil: it starts empty).
var addedBuckets = []struct {
	name []byte
	fill func(tx *bolt.Tx, b *bolt.Bucket) error
}{
	{bucketPending, fillPending},
	{bucketDrafts, nil},
	{bucketOrder, fillOrder},
	{bucketDisabled, nil},
	{bucketIdle, nil},
	{bucketUsage, nil},
}

// migrate adds what an older database lacks. It writes only when something
// is missing, so an up-to-date database is opened with reads alone.
func (s *Store) migrate() error {
	missing := false
	err := s.view(func(tx *bolt.Tx) error {
		for _, a := range addedBuckets {
			missing = missing || tx.Bucket(a.name) == nil
		}
		return nil
	})
	if err != nil || !missing {
		return err
	}
	err = s.writeRaw(func(tx *bolt.Tx) error {
		for _, a := range addedBuckets {
			if tx.Bucket(a.name) != nil {
				continue
			}
			b, err := tx.CreateBucket(a.name)
			if err != nil {
				return err
			}
			if a.fill != nil {
				if err := a.fill(tx, b); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upgrade database %s: %w", s.path, err)
	}
	return nil
}
