package storage

import (
	"bytes"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// SchedulerActor is the actor named in audit records of expiries applied on schedule.
const SchedulerActor = "scheduler"

// Expire ends an expiring key's grace period now.
func (s *Store) Expire(actor, id string) error {
	err := s.update(func(w *wtx) error {
		rec, err := findKey(w.tx, id)
		if err != nil {
			return err
		}
		if rec.ExpiresAt.IsZero() {
			return coded(ErrNotExpiring, "key %s is active, not expiring: rotate it first", rec.ID)
		}
		return w.expire(actor, rec, "grace period ended early")
	})
	if err != nil {
		return fmt.Errorf("expire %s: %w", shownID(id), err)
	}
	return nil
}

// ApplyDue retires, in one transaction, every key whose expiry is at or
// before now. It returns how many it retired.
func (s *Store) ApplyDue(now time.Time) (int, error) {
	due, err := s.dueIDs(now)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	n := 0
	err = s.update(func(w *wtx) error {
		n = 0
		for _, id := range due {
			var rec keyRecord
			found, err := getJSON(w.tx.Bucket(bucketKeys), []byte(id), &rec)
			if err != nil {
				return err
			}
			if !found || rec.ExpiresAt.IsZero() {
				// An index entry without its key: drop it, or it would stay due forever.
				if err := w.dropExpiryEntries(id, now); err != nil {
					return err
				}
				continue
			}
			if rec.ExpiresAt.After(now) {
				// The index entry is older than the key's expiry: replace it.
				if err := w.dropExpiryEntries(id, now); err != nil {
					return err
				}
				if err := w.putKey(rec); err != nil {
					return err
				}
				continue
			}
			if err := w.expire(SchedulerActor, rec, "grace period over"); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("apply due expiries: %w", err)
	}
	return n, nil
}

// dueIDs reads the expiry index up to now without taking the write lock,
// so that an idle check costs one read transaction.
func (s *Store) dueIDs(now time.Time) ([]string, error) {
	var ids []string
	limit := encodeUint(uint64(now.UnixNano()))
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketExpiry).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
			ids = append(ids, string(k[8:]))
		}
		return nil
	})
	return ids, err
}

// NextExpiry returns the earliest expiry in the index: one seek, whatever
// the number of keys.
func (s *Store) NextExpiry() (time.Time, bool, error) {
	var at time.Time
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketExpiry).Cursor().First()
		if k != nil {
			at, ok = time.Unix(0, int64(decodeUint(k[:8]))).UTC(), true
		}
		return nil
	})
	return at, ok, err
}

func (w *wtx) expire(actor string, rec keyRecord, detail string) error {
	if err := w.destroyKey(rec); err != nil {
		return err
	}
	if err := w.audit(actor, model.ActionExpire, &rec.Key, detail); err != nil {
		return err
	}
	return w.notify(model.NotifyExpired, actor, rec.Key, model.Key{})
}

// dropExpiryEntries removes an id's stale entries from the expiry index.
func (w *wtx) dropExpiryEntries(id string, upTo time.Time) error {
	limit := encodeUint(uint64(upTo.UnixNano()))
	c := w.tx.Bucket(bucketExpiry).Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
		if string(k[8:]) == id {
			if err := c.Delete(); err != nil {
				return err
			}
		}
	}
	return w.tx.Bucket(bucketExpiring).Delete([]byte(id))
}
