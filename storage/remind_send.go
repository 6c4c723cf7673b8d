package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// sendReminders mails the reminders due at now, each recorded on its key
// in the transaction that queues the mail, so none is sent twice, even
// across a restart. Reminders falling due together go in one mail.
func (s *Store) sendReminders(now time.Time) error {
	cfg := s.reminders.cfg.Load()
	if cfg == nil || len(cfg.Before) == 0 {
		return nil
	}
	keys, err := s.expiringWithin(now, cfg.Before[len(cfg.Before)-1])
	if err != nil {
		return err
	}
	var due []string
	for _, k := range keys {
		if _, ok := dueThreshold(k, cfg.Before, now); ok {
			due = append(due, k.ID)
		}
	}
	if len(due) == 0 {
		return nil
	}
	b, err := s.newBulk(SchedulerActor, model.NotifyReminder)
	if err != nil {
		return err
	}
	b.command = cfg.Command
	for start := 0; start < len(due); start += chunkSize {
		chunk := due[start:min(start+chunkSize, len(due))]
		err := b.chunk(start+chunkSize >= len(due), func(w *wtx) ([]model.NotifiedKey, int, error) {
			return w.remind(chunk, cfg.Before, now)
		})
		if err != nil {
			return fmt.Errorf("send reminders: %w", err)
		}
	}
	return nil
}

// remind records the due reminder of each key of ids, with its audit
// record, and names the keys for the mail.
func (w *wtx) remind(ids []string, before []time.Duration, now time.Time) ([]model.NotifiedKey, int, error) {
	var named []model.NotifiedKey
	n := 0
	for _, id := range ids {
		var rec keyRecord
		found, err := getJSON(w.btx().Bucket(bucketKeys), []byte(id), &rec)
		if err != nil {
			return nil, 0, err
		}
		th, ok := dueThreshold(rec.Key, before, now)
		if !found || !ok || !rec.ExpiresAt.After(now) {
			continue // changed meanwhile
		}
		rec.Reminded = th
		if err := w.putKey(rec); err != nil {
			return nil, 0, err
		}
		detail := fmt.Sprintf("reminder %s before its expiry at %s", model.FormatSpan(th), rec.ExpiresAt.Format(time.RFC3339))
		if err := w.audit(SchedulerActor, model.ActionRemind, &rec.Key, detail); err != nil {
			return nil, 0, err
		}
		if n++; len(named) < model.BulkListed {
			nk := notified(rec.Key, nil)
			nk.ExpiresAt, nk.LastUsedAt = rec.ExpiresAt, rec.LastUsedAt
			named = append(named, nk)
		}
	}
	return named, n, nil
}

// nextReminderDue returns when the next reminder falls due.
func (s *Store) nextReminderDue(now time.Time) (time.Time, bool, error) {
	cfg := s.reminders.cfg.Load()
	if cfg == nil || len(cfg.Before) == 0 {
		return time.Time{}, false, nil
	}
	largest := cfg.Before[len(cfg.Before)-1]
	keys, err := s.expiringWithin(now, largest)
	if err != nil {
		return time.Time{}, false, err
	}
	// Beyond the window, the first expiry's largest threshold comes first.
	next, err := s.firstExpiryAfter(now.Add(largest))
	if !next.IsZero() {
		next = next.Add(-largest)
	}
	for _, k := range keys {
		if at := nextReminder(k, cfg.Before); !at.IsZero() && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next, !next.IsZero(), err
}
