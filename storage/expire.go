package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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

// ApplyDue does what is due at now: the expiry pass, the until-idle
// retirements (idle.go), the reminders (remind.go) and the removal of
// deleted keys' usage (usage_sweep.go). It returns how many keys it retired.
func (s *Store) ApplyDue(now time.Time) (int, error) {
	n, err := s.applyExpiries(now)
	if err != nil {
		return n, err
	}
	idle, err := s.retireIdle(now)
	if err == nil {
		err = s.sendReminders(now)
	}
	if err == nil {
		err = s.sweepUsage()
	}
	return n + idle, err
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
// chunks (chunk.go), each its own transaction with its audit records, and
// sends one mail for the whole pass. It returns how many keys it retired.
// A crash between chunks leaves the rest due for the next pass. A pass of
// more than one chunk gives its garbage back when it ends, and when it
// retired a good part of the keys has the file compacted soon
// (giveBackAfter), as the other bulk operations do: the rotation's expiry
// pass retires as many keys as the rotation made.
func (s *Store) applyExpiries(now time.Time) (int, error) {
	var pass *bulk
	total := 0
	defer func() { s.giveBackAfter(total, true) }()
	for {
		due, err := s.dueEntries(now, scanPage)
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
		last := len(due) < scanPage
		retired := make([]bool, min(len(due), chunkMax))
		err = pass.apply(len(due), last, func(w *wtx, i, j int) (*model.NotifiedKey, bool, error) {
			k, err := w.expireDue(due[i], now)
			if retired[j] = k != nil; k == nil || err != nil {
				return nil, false, err
			}
			named := notified(*k, nil)
			return &named, false, nil
		}, func(from, to int) {
			for _, r := range retired[:to-from] {
				if r {
					total++
				}
			}
		})
		if err != nil {
			return total, fmt.Errorf("apply due expiries: %w", err)
		}
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

// expireDue retires the key of one due entry of the expiry index and
// returns it; nil when the entry was stale (its key gone, or its expiry
// moved), which it then drops.
func (w *wtx) expireDue(entry []byte, now time.Time) (*model.Key, error) {
	id := entry[8:]
	var rec keyRecord
	found, err := getRecord(w.tx, bucketKeys, id, &rec)
	if err != nil {
		return nil, err
	}
	if !found || rec.ExpiresAt.IsZero() || rec.ExpiresAt.After(now) {
		// An entry without its key, or older than the key's expiry: drop
		// it, or it would stay due forever; the key keeps its own entry.
		if err := w.tx.Delete(string(bucketExpiry), entry); err != nil {
			return nil, err
		}
		if !found || rec.ExpiresAt.IsZero() {
			return nil, w.tx.Delete(string(bucketExpiring), id)
		}
		return nil, w.putKey(rec)
	}
	if err := w.retire(SchedulerActor, rec, "grace period over"); err != nil {
		return nil, err
	}
	return &rec.Key, nil
}

// dueEntries reads up to limit entries of the expiry index up to now
// without taking the write lock, so that an idle check costs one read
// transaction.
func (s *Store) dueEntries(now time.Time, limit int) ([][]byte, error) {
	var due [][]byte
	upTo := kv.Range{Bucket: string(bucketExpiry), To: encodeUint(uint64(now.UnixNano()) + 1)}
	err := s.read(func(tx kv.ReadTx) error {
		due = due[:0]
		return tx.Scan(upTo, false, func(k, _ []byte) error {
			if len(due) == limit {
				return kv.ErrStop
			}
			due = append(due, append([]byte(nil), k...))
			return nil
		})
	})
	return due, err
}

// NextExpiry returns the earliest expiry in the index: one seek, whatever
// the number of keys.
func (s *Store) NextExpiry() (time.Time, bool, error) {
	var at time.Time
	var ok bool
	err := s.read(func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: string(bucketExpiry)}, false, func(k, _ []byte) error {
			at, ok = time.Unix(0, int64(decodeUint(k[:8]))).UTC(), true
			return kv.ErrStop
		})
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
