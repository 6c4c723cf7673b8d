package storage

import (
	"fmt"
	"slices"
	"time"
)

// RecordLastUsed writes "last used" times, in transactions sized to the
// backend's limits. Keys deleted or expired meanwhile are skipped; an older
// time never replaces a newer one.
func (s *Store) RecordLastUsed(used map[string]time.Time) error {
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	err := s.chunked(len(ids), func(w *wtx, i int) error {
		var rec keyRecord
		found, err := getRecord(w.tx, bucketKeys, []byte(ids[i]), &rec)
		if err != nil || !found || !rec.LastUsedAt.Before(used[ids[i]]) {
			return err
		}
		rec.LastUsedAt = used[ids[i]]
		return w.putKey(rec)
	})
	if err != nil {
		return fmt.Errorf("record last used: %w", err)
	}
	return nil
}
