package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// bucketUsage holds per-key usage in hour buckets: id ‖ big-endian hour
// number → usageRecord JSON. At most 30 days (720 records) per key are kept.
var bucketUsage = []byte("usage")

// usageRecord is one hour as stored: the totals and the non-zero
// resource/mode counts as [resource, mode (0 read, 1 write), allowed, refused].
type usageRecord struct {
	Allowed uint32      `json:"a,omitempty"`
	Refused uint32      `json:"r,omitempty"`
	Modes   [][4]uint32 `json:"m,omitempty"`
}

func usageKey(id string, hour time.Time) []byte {
	return binary.BigEndian.AppendUint32([]byte(id), uint32(hour.Unix()/3600))
}

func (r usageRecord) hour(id string, at time.Time) model.UsageHour {
	u := model.UsageHour{KeyID: id, Hour: at, Allowed: r.Allowed, Refused: r.Refused}
	for _, m := range r.Modes {
		if int(m[0]) < model.ResourceCount && m[1] < 2 {
			u.Modes[m[0]][m[1]] = model.ModeCount{Allowed: m[2], Refused: m[3]}
		}
	}
	return u
}

func recordOf(u model.UsageHour) usageRecord {
	r := usageRecord{Allowed: u.Allowed, Refused: u.Refused}
	for res := range u.Modes {
		for m, c := range u.Modes[res] {
			if c != (model.ModeCount{}) {
				r.Modes = append(r.Modes, [4]uint32{uint32(res), uint32(m), c.Allowed, c.Refused})
			}
		}
	}
	return r
}

// RecordUsage adds /auth's counts to the stored hours and drops the
// touched keys' hours older than model.UsageRetention, in transactions
// sized to the backend's limits, apart from any other write (last used has
// its own flush). Keys deleted or expired meanwhile are skipped: each
// hour's transaction reads its key, which etcd compares at commit.
func (s *Store) RecordUsage(hours []model.UsageHour) error {
	if len(hours) == 0 {
		return nil
	}
	stale, err := s.usageBefore(hours, s.clock.Now().Add(-model.UsageRetention))
	if err == nil {
		err = s.chunked(len(hours)+len(stale), func(w *wtx, i int) error {
			if i >= len(hours) {
				return w.tx.Delete(string(bucketUsage), stale[i-len(hours)])
			}
			return w.addUsage(hours[i])
		})
	}
	if err != nil {
		return fmt.Errorf("record usage: %w", err)
	}
	return nil
}

// addUsage adds one hour's counts to the stored hour, if its key exists.
func (w *wtx) addUsage(u model.UsageHour) error {
	if k, err := w.tx.Get(string(bucketKeys), []byte(u.KeyID)); k == nil || err != nil {
		return err
	}
	key := usageKey(u.KeyID, u.Hour)
	var old usageRecord
	if _, err := getRecord(w.tx, bucketUsage, key, &old); err != nil {
		return err
	}
	sum := old.hour(u.KeyID, u.Hour)
	sum.Add(&u)
	return putRecord(w.tx, bucketUsage, key, recordOf(sum))
}

// usageBefore lists the stored hours before t of the keys hours touch, read
// before the writes so that no write transaction scans.
func (s *Store) usageBefore(hours []model.UsageHour, t time.Time) ([][]byte, error) {
	var old [][]byte
	seen := map[string]bool{}
	err := s.read(func(tx kv.ReadTx) error {
		old = nil
		for _, u := range hours {
			if seen[u.KeyID] {
				continue
			}
			seen[u.KeyID] = true
			err := scanUsage(tx, u.KeyID, time.Time{}, t, func(k, _ []byte) error {
				old = append(old, bytes.Clone(k))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return old, err
}

// scanUsage calls fn for each stored hour of key id from from up to to
// (zero: from the first, to the last).
func scanUsage(tx kv.ReadTx, id string, from, to time.Time, fn func(k, v []byte) error) error {
	r := kv.Prefix(string(bucketUsage), []byte(id))
	if !from.IsZero() {
		r.From = usageKey(id, from)
	}
	if !to.IsZero() {
		r.To = usageKey(id, to)
	}
	return tx.Scan(r, false, func(k, v []byte) error {
		if len(k) != len(id)+4 {
			return nil // another id that starts with this one
		}
		return fn(k, v)
	})
}

// Usage returns a key's usage since a time: totals, per resource and mode,
// and the hours with traffic.
func (s *Store) Usage(id string, since time.Time) (model.Key, model.Usage, error) {
	u := model.Usage{Since: since}
	key, err := s.Get(id)
	if err == nil {
		err = s.read(func(tx kv.ReadTx) error {
			u = model.Usage{Since: since}
			return scanUsage(tx, key.ID, since.Truncate(time.Hour), time.Time{}, func(k, v []byte) error {
				var r usageRecord
				if err := decodeJSON(k, v, &r); err != nil {
					return err
				}
				at := time.Unix(int64(binary.BigEndian.Uint32(k[len(key.ID):]))*3600, 0).UTC()
				h := r.hour(key.ID, at)
				u.Add(&h)
				u.Hours = append(u.Hours, h)
				return nil
			})
		})
	}
	if err != nil {
		return key, u, fmt.Errorf("usage %s: %w", shownID(id), err)
	}
	return key, u, nil
}
