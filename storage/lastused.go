package storage

import (
	"fmt"
	"time"
)

// RecordLastUsed writes "last used" times in one transaction. Keys deleted
// or expired meanwhile are skipped; an older time never replaces a newer one.
func (s *Store) RecordLastUsed(used map[string]time.Time) error {
	if len(used) == 0 {
		return nil
	}
	err := s.update(func(w *wtx) error {
		b := w.btx().Bucket(bucketKeys)
		for id, at := range used {
			var rec keyRecord
			found, err := getJSON(b, []byte(id), &rec)
			if err != nil {
				return err
			}
			if !found || !rec.LastUsedAt.Before(at) {
				continue
			}
			rec.LastUsedAt = at
			if err := w.putKey(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record last used: %w", err)
	}
	return nil
}
