package storage

import (
	"encoding/binary"
	"fmt"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// bucketOrder indexes the keys in display order: place → id. It lets a
// listing stream the keys in order from the file, in flat memory, without
// loading the caches.
var bucketOrder = []byte("order")

// streamPage is how many keys EachKey reads per read transaction.
const streamPage = 1000

// placeKey encodes a place so that byte order is display order.
func placeKey(p place) []byte {
	b := make([]byte, 0, 8+len(p.Root)+4)
	b = binary.BigEndian.AppendUint64(b, uint64(p.At)^(1<<63)) // signed order
	b = append(b, p.Root...)
	return binary.BigEndian.AppendUint32(b, p.Gen)
}

// EachKey calls fn for every key in display order, until fn returns an
// error. It reads a page of keys per read transaction, so memory stays
// flat and a slow reader never holds a transaction open; keys changed
// meanwhile may or may not be seen, but none is seen twice.
func (s *Store) EachKey(fn func(model.Key) error) error {
	var after []byte
	for {
		var page []model.Key
		err := s.file.DB().View(func(tx *bolt.Tx) error {
			keys := tx.Bucket(bucketKeys)
			c := tx.Bucket(bucketOrder).Cursor()
			k, id := c.First()
			if after != nil {
				if k, id = c.Seek(after); k != nil && string(k) == string(after) {
					k, id = c.Next()
				}
			}
			for ; k != nil && len(page) < streamPage; k, id = c.Next() {
				var rec keyRecord
				found, err := getJSON(keys, id, &rec)
				if err != nil {
					return err
				}
				if found {
					page = append(page, rec.Key)
				}
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("list keys: %w", err)
		}
		for _, k := range page {
			if err := fn(k); err != nil {
				return err
			}
		}
		if len(page) < streamPage {
			return nil
		}
	}
}

// fillOrder builds the order index of a database written before it existed.
func fillOrder(tx *bolt.Tx, idx *bolt.Bucket) error {
	return tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
		var rec keyRecord
		if err := decodeJSON(k, v, &rec); err != nil {
			return err
		}
		return idx.Put(placeKey(rec.Place), k)
	})
}
