package storage

import (
	"bytes"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// bucketUsageGone lists the destroyed keys whose usage hours are still to
// be removed: id → nothing. Destroying a key writes this one entry rather
// than deleting up to 720 hours in its own transaction (etcd takes 128
// operations); the scheduler's pass removes them (sweepUsage).
var bucketUsageGone = []byte("usage_gone")

// sweepPage is how many destroyed keys one sweep takes on.
const sweepPage = 100

// sweepUsage removes the usage hours of destroyed keys, in transactions
// sized to the backend's limits: each key's hours, then its entry, in
// order, so that an entry goes only once its hours have. The hours are read
// before the writes: none can appear for a key that is gone (RecordUsage
// reads the key in its transaction).
func (s *Store) sweepUsage() error {
	var gone [][2][]byte // bucket, key: in the order they go
	err := s.read(func(tx kv.ReadTx) error {
		gone = nil
		ids := 0
		return tx.Scan(kv.Range{Bucket: string(bucketUsageGone)}, false, func(id, _ []byte) error {
			err := scanUsage(tx, string(id), time.Time{}, time.Time{}, func(k, _ []byte) error {
				gone = append(gone, [2][]byte{bucketUsage, bytes.Clone(k)})
				return nil
			})
			gone = append(gone, [2][]byte{bucketUsageGone, bytes.Clone(id)})
			if ids++; err == nil && ids == sweepPage {
				return kv.ErrStop
			}
			return err
		})
	})
	if err == nil {
		err = s.chunked(len(gone), func(w *wtx, i int) error { return w.tx.Delete(string(gone[i][0]), gone[i][1]) })
	}
	if err != nil {
		return fmt.Errorf("remove the usage of deleted keys: %w", err)
	}
	return nil
}
