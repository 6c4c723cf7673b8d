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
		rec, err := findKey(w.btx(), id)
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

// ApplyDue does what is due at now: the expiry pass, the until-idle
// retirements (idle.go) and the reminders (remind.go). It returns how many
// keys it retired.
func (s *Store) ApplyDue(now time.Time) (int, error) {
	n, err := s.applyExpiries(now)
	if err != nil {
		return n, err
	}
	idle, err := s.retireIdle(now)
	if err != nil {
		return n + idle, err
	}
	return n + idle, s.sendReminders(now)
}

// NextDue returns when ApplyDue next has something to do: the earliest
// expiry, idle deadline or reminder.
func (s *Store) NextDue() (time.Time, bool, error) {
	next, ok, err := s.NextExpiry()
	if err != nil {
		return next, ok, err
	}
	for _, later := range []func() (time.Time, bool, error){s.nextIdle, func() (time.Time, bool, error) { return s.nextReminderDue(s.clock.Now()) }} {
		at, found, err := later()
		if err != nil {
			return next, ok, err
		}
		if found && (!ok || at.Before(next)) {
			next, ok = at, true
		}
	}
	return next, ok, nil
}

// applyExpiries retires every key whose expiry is at or before now, in
// chunks of at most chunkSize keys, each its own transaction with its audit
// records, and sends one mail for the whole pass. It returns how many keys
// it retired. A crash between chunks leaves the rest due for the next pass.
func (s *Store) applyExpiries(now time.Time) (int, error) {
	var pass *bulk
	total := 0
	for {
		due, err := s.dueIDs(now, chunkSize)
		if err != nil {
			return total, fmt.Errorf("apply due expiries: %w", err)
		}
		if len(due) == 0 {
			break
		}
		if pass == nil {
			if pass, err = s.newBulk(SchedulerActor, model.NotifyExpired); err != nil {
				return total, err
			}
		}
		last := len(due) < chunkSize
		n := 0
		err = pass.chunk(last, func(w *wtx) ([]model.NotifiedKey, int, error) {
			var named []model.NotifiedKey
			n = 0
			err := w.expireDue(due, now, func(k model.Key) {
				if n++; len(named) < model.BulkListed {
					named = append(named, notified(k, nil))
				}
			})
			return named, n, err
		})
		if err != nil {
			return total, fmt.Errorf("apply due expiries: %w", err)
		}
		total += n
		if last {
			return total, nil
		}
	}
	if pass != nil {
		if err := pass.finish(); err != nil {
			return total, err
		}
	}
	return total, nil
}

// expireDue retires the keys of one chunk, calling done for each.
func (w *wtx) expireDue(due []string, now time.Time, done func(model.Key)) error {
	for _, id := range due {
		var rec keyRecord
		found, err := getJSON(w.btx().Bucket(bucketKeys), []byte(id), &rec)
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
		if err := w.retire(SchedulerActor, rec, "grace period over"); err != nil {
			return err
		}
		done(rec.Key)
	}
	return nil
}

// dueIDs reads up to limit entries of the expiry index up to now without
// taking the write lock, so that an idle check costs one read transaction.
func (s *Store) dueIDs(now time.Time, limit int) ([]string, error) {
	var ids []string
	end := encodeUint(uint64(now.UnixNano()))
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketExpiry).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:8], end) <= 0 && len(ids) < limit; k, _ = c.Next() {
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
	err := s.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketExpiry).Cursor().First()
		if k != nil {
			at, ok = time.Unix(0, int64(decodeUint(k[:8]))).UTC(), true
		}
		return nil
	})
	return at, ok, err
}

// expire retires one key and mails about it.
func (w *wtx) expire(actor string, rec keyRecord, detail string) error {
	if err := w.retire(actor, rec, detail); err != nil {
		return err
	}
	return w.notify(model.NotifyExpired, actor, rec.Key, model.Key{})
}

// retire removes an expired key and audits it; the mail is the caller's.
func (w *wtx) retire(actor string, rec keyRecord, detail string) error {
	if err := w.destroyKey(rec); err != nil {
		return err
	}
	return w.audit(actor, model.ActionExpire, &rec.Key, detail)
}

// dropExpiryEntries removes an id's stale entries from the expiry index.
func (w *wtx) dropExpiryEntries(id string, upTo time.Time) error {
	limit := encodeUint(uint64(upTo.UnixNano()))
	c := w.btx().Bucket(bucketExpiry).Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, _ = c.Next() {
		if string(k[8:]) == id {
			if err := c.Delete(); err != nil {
				return err
			}
		}
	}
	return w.btx().Bucket(bucketExpiring).Delete([]byte(id))
}
