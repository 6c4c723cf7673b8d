package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
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

// RecordUsage adds /auth's counts to the stored hours in one transaction
// and drops the touched keys' hours older than model.UsageRetention. Keys
// deleted or expired meanwhile are skipped.
func (s *Store) RecordUsage(hours []model.UsageHour) error {
	if len(hours) == 0 {
		return nil
	}
	err := s.update(func(w *wtx) error {
		b, keys := w.btx().Bucket(bucketUsage), w.btx().Bucket(bucketKeys)
		pruned := map[string]bool{}
		for _, u := range hours {
			if keys.Get([]byte(u.KeyID)) == nil {
				continue
			}
			k := usageKey(u.KeyID, u.Hour)
			var old usageRecord
			if _, err := getJSON(b, k, &old); err != nil {
				return err
			}
			sum := old.hour(u.KeyID, u.Hour)
			sum.Add(&u)
			if err := putJSON(b, k, recordOf(sum)); err != nil {
				return err
			}
			if !pruned[u.KeyID] {
				pruned[u.KeyID] = true
				if err := w.dropUsageBefore(u.KeyID, w.now.Add(-model.UsageRetention)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record usage: %w", err)
	}
	return nil
}

// dropUsageBefore deletes a key's hours before t (zero time: all of them).
func (w *wtx) dropUsageBefore(id string, t time.Time) error {
	c := w.btx().Bucket(bucketUsage).Cursor()
	end := usageKey(id, t)
	for k, _ := c.Seek([]byte(id)); k != nil && len(k) == len(id)+4 && bytes.HasPrefix(k, []byte(id)) && (t.IsZero() || bytes.Compare(k, end) < 0); k, _ = c.Seek([]byte(id)) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Usage returns a key's usage since a time: totals, per resource and mode,
// and the hours with traffic.
func (s *Store) Usage(id string, since time.Time) (model.Key, model.Usage, error) {
	var key model.Key
	u := model.Usage{Since: since}
	err := s.view(func(tx *bolt.Tx) error {
		rec, err := findKey(tx, id)
		if err != nil {
			return err
		}
		key = rec.Key
		c := tx.Bucket(bucketUsage).Cursor()
		prefix := []byte(rec.ID)
		for k, v := c.Seek(usageKey(rec.ID, since.Truncate(time.Hour))); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+4; k, v = c.Next() {
			var r usageRecord
			if err := decodeJSON(k, v, &r); err != nil {
				return err
			}
			at := time.Unix(int64(binary.BigEndian.Uint32(k[len(prefix):]))*3600, 0).UTC()
			h := r.hour(rec.ID, at)
			u.Add(&h)
			u.Hours = append(u.Hours, h)
		}
		return nil
	})
	if err != nil {
		return key, u, fmt.Errorf("usage %s: %w", shownID(id), err)
	}
	return key, u, nil
}
