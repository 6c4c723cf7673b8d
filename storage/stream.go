package storage

import (
	"encoding/binary"
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
		err := s.read(func(tx kv.ReadTx) error {
			page = page[:0]
			return tx.Scan(kv.Range{Bucket: string(bucketOrder), From: after}, false, func(k, id []byte) error {
				if string(k) == string(after) {
					return nil // the last key of the previous page
				}
				if len(page) == streamPage {
					return kv.ErrStop
				}
				var rec keyRecord
				found, err := getRecord(tx, bucketKeys, id, &rec)
				if err != nil {
					return err
				}
				if found {
					if err := newestUse(tx, &rec); err != nil {
						return err
					}
					page = append(page, rec.Key)
				}
				after = append(after[:0], k...)
				return nil
			})
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
