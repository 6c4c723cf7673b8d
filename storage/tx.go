package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// wtx is one write transaction. Operations write through it so that the
// change, its audit record and its notification share one commit, and so
// that the auth cache learns what changed once the commit succeeded.
type wtx struct {
	s       *Store
	tx      *bolt.Tx
	now     time.Time
	changes []cacheChange
}

// update runs fn in one bbolt transaction, then updates the caches and
// tells the subscribers. Nothing is published if fn or the commit fails.
func (s *Store) update(fn func(w *wtx) error) error {
	err := s.commit(fn)
	if err == nil {
		s.publish()
	}
	return err
}

// commit runs fn and, once the transaction has committed, applies its
// changes to the caches, all under writeMu. The lock is released by defer:
// bbolt rolls back when fn panics, and a panic recovered further up (an SSH
// session) must not leave every later write waiting on the lock.
func (s *Store) commit(fn func(w *wtx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	w := &wtx{s: s, now: s.clock.Now().UTC().Round(0)}
	err := s.db.Update(func(tx *bolt.Tx) error {
		w.tx = tx
		return fn(w)
	})
	if err == nil {
		s.auth.apply(w.changes)
		s.list.apply(w.changes)
	}
	return err
}

// audit appends an audit record.
func (w *wtx) audit(actor, action string, k *model.Key, detail string) error {
	b := w.tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e := model.AuditEntry{Seq: seq, At: w.now, Actor: actor, Action: action, Detail: detail}
	if k != nil {
		e.KeyID, e.KeyName = k.ID, k.Name
	}
	return putJSON(b, encodeUint(seq), e)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decodeJSON(key, data, v)
}

// decodeJSON decodes a record read by a cursor; the error names its key.
func decodeJSON(key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode record %x: %w", key, err)
	}
	return nil
}

// forEachKey decodes every key record, in id order, in one read transaction.
func (s *Store) forEachKey(fn func(rec keyRecord)) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			fn(rec)
			return nil
		})
	})
}

func encodeUint(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func decodeUint(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// expiryKey orders the expiry index by time, then id.
func expiryKey(t time.Time, id string) []byte {
	return append(encodeUint(uint64(t.UnixNano())), id...)
}
