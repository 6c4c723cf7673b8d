package storage

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// bucketIdle lists the old keys of until-idle rotations: id → nothing. The
// scheduler reads it on each pass; it holds only keys being drained.
var bucketIdle = []byte("idle")

// Bounds of an until-idle rotation.
const (
	MinIdle = time.Minute
	// DefaultIdleMax is how long the old key may live at most when no
	// bound is given.
	DefaultIdleMax = 7 * model.Day
)

// LastSeen tells when a key was last seen by a process's /auth, including
// uses not yet written to the database (zero: not seen).
type LastSeen func(id string) time.Time

// seenSource holds the LastSeen of this process's HTTP side, if any.
type seenSource struct{ fn atomic.Pointer[LastSeen] }

// SetLastSeen lets the idle check see /auth's uses as they happen, not
// only once they are flushed. serve sets it when its HTTP side starts.
func (s *Store) SetLastSeen(fn LastSeen) { s.seen.fn.Store(&fn) }

// lastSeen is the latest of the in-memory and the stored "last used".
func (s *Store) lastSeen(k model.Key) time.Time {
	at := k.LastUsedAt
	if fn := s.seen.fn.Load(); fn != nil {
		if mem := (*fn)(k.ID); mem.After(at) {
			at = mem
		}
	}
	return at
}

// LastSeenAt is when key k was last used as far as this process knows:
// the later of /auth's in-memory time and the stored one (zero: never).
func (s *Store) LastSeenAt(k model.Key) time.Time { return s.lastSeen(k) }

// RotateUntilIdle rotates a key now; the old key keeps working until /auth
// has not seen it for idle, and at the latest until max from now.
func (s *Store) RotateUntilIdle(actor, id string, idle, max time.Duration) (model.Key, model.Token, error) {
	if idle < MinIdle || max > model.MaxRotationDelay || idle > max {
		return model.Key{}, model.Token{}, fmt.Errorf("rotate %s: until idle %s at most %s: out of range", shownID(id), model.FormatSpan(idle), model.FormatSpan(max))
	}
	return s.rotateKey(actor, id, max, func(w *wtx, old *keyRecord, key model.Key) error {
		old.IdleRetire = idle
		if err := w.putKey(*old); err != nil {
			return err
		}
		if err := w.tx.Put(string(bucketIdle), []byte(old.ID), nil); err != nil {
			return err
		}
		n := w.notice(model.NotifyRotationScheduled, actor, old.Key)
		n.NewKeyMasked, n.Idle = key.Masked(), idle
		return w.mail(n)
	})
}

// IdleDeadline is when an until-idle rotation's old key retires if it
// stays quiet: its last sighting (in memory or stored, or the rotation)
// plus the idle period, never after its expiry. ok is false for other keys.
func (s *Store) IdleDeadline(k model.Key) (at time.Time, ok bool) {
	if k.IdleRetire == 0 || k.ExpiresAt.IsZero() {
		return time.Time{}, false
	}
	from := s.lastSeen(k)
	if k.ExpirySetAt.After(from) {
		from = k.ExpirySetAt
	}
	at = from.Add(k.IdleRetire)
	if k.ExpiresAt.Before(at) {
		at = k.ExpiresAt
	}
	return at, true
}

// idleKeys reads the old keys of until-idle rotations.
func (s *Store) idleKeys() ([]model.Key, error) {
	var keys []model.Key
	err := s.read(func(tx kv.ReadTx) error {
		keys = nil
		return tx.Scan(kv.Range{Bucket: string(bucketIdle)}, false, func(k, _ []byte) error {
			var rec keyRecord
			found, err := getRecord(tx, bucketKeys, k, &rec)
			if found && err == nil {
				err = newestUse(tx, &rec)
				keys = append(keys, rec.Key)
			}
			return err
		})
	})
	return keys, err
}

// retireIdle retires the until-idle old keys that have gone quiet by now,
// one transaction each with its audit record and its mail. It returns how
// many it retired.
func (s *Store) retireIdle(now time.Time) (int, error) {
	keys, err := s.idleKeys()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		if at, _ := s.IdleDeadline(k); at.After(now) || !at.Before(k.ExpiresAt) {
			continue // not quiet yet, or the expiry pass retires it
		}
		err := s.update(func(w *wtx) error {
			var rec keyRecord
			found, err := getRecord(w.tx, bucketKeys, []byte(k.ID), &rec)
			if err != nil || !found || rec.IdleRetire == 0 {
				return err
			}
			if err := newestUse(w.tx, &rec); err != nil { // a use flushed meanwhile conflicts on etcd
				return err
			}
			if at, _ := s.IdleDeadline(rec.Key); at.After(now) {
				return nil // seen meanwhile
			}
			if err := w.destroyKey(rec); err != nil {
				return err
			}
			detail := fmt.Sprintf("retired after %s without traffic", model.FormatSpan(rec.IdleRetire))
			if err := w.audit(SchedulerActor, model.ActionRetireIdle, &rec.Key, detail); err != nil {
				return err
			}
			n := w.notice(model.NotifyRetiredIdle, SchedulerActor, rec.Key)
			n.Idle = rec.IdleRetire
			return w.mail(n)
		})
		if err != nil {
			return n, fmt.Errorf("retire idle key %s: %w", k.ID, err)
		}
		n++
	}
	return n, nil
}

// nextIdle returns the earliest idle deadline of the until-idle old keys.
func (s *Store) nextIdle() (time.Time, bool, error) {
	keys, err := s.idleKeys()
	var next time.Time
	for _, k := range keys {
		if at, ok := s.IdleDeadline(k); ok && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next, !next.IsZero(), err
}
