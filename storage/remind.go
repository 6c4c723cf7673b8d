package storage

import (
	"slices"
	"sync/atomic"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// DefaultRemindBefore are the reminder thresholds of serve and the dashboard.
var DefaultRemindBefore = []time.Duration{7 * model.Day, model.Day, time.Hour}

// Reminders configure the mail sent before a key expires.
type Reminders struct {
	// Before are the thresholds: a reminder goes out when a key's expiry
	// is that close, at most once per key and threshold.
	Before []time.Duration
	// Command is how an admin reaches keyrack, for the command the mail
	// names: "keyrack" (default) or "ssh -p 23234 HOST".
	Command string
}

// reminderSource holds this process's reminder configuration, if any, and
// the bound of the next reminder due (remind_bound.go).
type reminderSource struct {
	cfg   atomic.Pointer[Reminders]
	bound reminderBound
}

// SetReminders turns reminders on in this process's expiry passes
// (long-running processes: serve and the dashboard).
func (s *Store) SetReminders(r Reminders) {
	r.Before = slices.Clone(r.Before)
	slices.Sort(r.Before)
	s.reminders.cfg.Store(&r)
	s.reminders.bound.forget()
}

// dueThreshold returns the smallest threshold k has crossed by now that was
// not mailed yet and was crossed after its expiry was set (an admin who
// sets a key to expire in 12 h needs no "1 day left" mail), if any.
func dueThreshold(k model.Key, before []time.Duration, now time.Time) (time.Duration, bool) {
	for _, th := range before { // ascending: the smallest first
		at := k.ExpiresAt.Add(-th)
		if at.After(now) || !at.After(k.ExpirySetAt) {
			continue
		}
		if k.Reminded == 0 || th < k.Reminded {
			return th, true
		}
		return 0, false // this one and every larger one were mailed
	}
	return 0, false
}

// nextReminder is when the next reminder of a key expiring at expires
// (set at expirySet, last reminded at threshold reminded) falls due (zero:
// none).
func nextReminder(expires, expirySet time.Time, reminded time.Duration, before []time.Duration) time.Time {
	var next time.Time
	for _, th := range before {
		at := expires.Add(-th)
		if !at.After(expirySet) || reminded != 0 && th >= reminded {
			continue
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}

// firstExpiryAfter returns the first expiry in the index after t (zero: none).
func (s *Store) firstExpiryAfter(t time.Time) (time.Time, error) {
	var at time.Time
	err := s.read(func(tx kv.ReadTx) error {
		r := kv.Range{Bucket: string(bucketExpiry), From: encodeUint(uint64(t.UnixNano()) + 1)}
		return tx.Scan(r, false, func(k, _ []byte) error {
			at = time.Unix(0, int64(decodeUint(k[:8]))).UTC()
			return kv.ErrStop
		})
	})
	return at, err
}

// expiringWithin lists the keys that expire after now and at most within
// from now, in expiry order: a range of the expiry index, whatever the
// number of keys. The keys come from the key list in memory, not decoded
// from their records: the scheduler asks on every wake, and a million
// keys in a rotation's grace period are all inside the range. Whatever it
// then writes re-reads the record in its transaction.
func (s *Store) expiringWithin(now time.Time, within time.Duration) ([]model.Key, error) {
	snap, err := s.Keys()
	if err != nil {
		return nil, err
	}
	var keys []model.Key
	r := kv.Range{Bucket: string(bucketExpiry), From: encodeUint(uint64(now.UnixNano())), To: encodeUint(uint64(now.Add(within).UnixNano()) + 1)}
	err = s.read(func(tx kv.ReadTx) error {
		keys = nil
		return tx.Scan(r, false, func(k, _ []byte) error {
			if i, ok := snap.Find(string(k[8:])); ok {
				if key := snap.At(i); key.ExpiresAt.After(now) {
					keys = append(keys, key)
				}
			}
			return nil
		})
	})
	return keys, err
}
