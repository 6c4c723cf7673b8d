package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// sendReminders mails the reminders due at now, each recorded on its key
// in the transaction that queues the mail, so none is sent twice, even
// across a restart. Reminders falling due together go in one mail. It
// reads the keys only when the reminder bound says one may be due.
func (s *Store) sendReminders(now time.Time) error {
	cfg := s.reminders.cfg.Load()
	if cfg == nil || len(cfg.Before) == 0 {
		return nil
	}
	if at, known := s.reminders.bound.get(); known && (at.IsZero() || at.After(now)) {
		return nil
	}
	// The keys mailed now have their next reminder later: compute the
	// bound again afterwards (also when this ends in an error).
	defer s.reminders.bound.forget()
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
	err = b.apply(len(due), true, func(w *wtx, i, _ int) (*model.NotifiedKey, bool, error) {
		nk, ok, err := w.remind(due[i], cfg.Before, now)
		if !ok {
			return nil, false, err
		}
		return &nk, false, err
	}, nil)
	if err != nil {
		return fmt.Errorf("send reminders: %w", err)
	}
	return nil
}

// remind records the due reminder of key id, with its audit record, and
// names the key for the mail; ok is false when it changed meanwhile.
func (w *wtx) remind(id string, before []time.Duration, now time.Time) (nk model.NotifiedKey, ok bool, err error) {
	var rec keyRecord
	found, err := getRecord(w.tx, bucketKeys, []byte(id), &rec)
	if err != nil {
		return nk, false, err
	}
	th, due := dueThreshold(rec.Key, before, now)
	if !found || !due || !rec.ExpiresAt.After(now) {
		return nk, false, nil
	}
	if err := newestUse(w.tx, &rec); err != nil {
		return nk, false, err
	}
	rec.Reminded = th
	if err := w.putKey(rec); err != nil {
		return nk, false, err
	}
	detail := fmt.Sprintf("reminder %s before its expiry at %s", model.FormatSpan(th), rec.ExpiresAt.Format(time.RFC3339))
	if err := w.audit(SchedulerActor, model.ActionRemind, &rec.Key, detail); err != nil {
		return nk, false, err
	}
	nk = notified(rec.Key, nil)
	nk.ExpiresAt, nk.LastUsedAt = rec.ExpiresAt, rec.LastUsedAt
	return nk, true, nil
}

// nextReminderDue returns when the next reminder may fall due: the
// reminder bound, computed from all keys when not known.
func (s *Store) nextReminderDue(now time.Time) (time.Time, bool, error) {
	cfg := s.reminders.cfg.Load()
	if cfg == nil || len(cfg.Before) == 0 {
		return time.Time{}, false, nil
	}
	at, known := s.reminders.bound.get()
	if !known {
		var err error
		if at, err = s.reminders.bound.compute(func() (time.Time, error) { return s.firstReminder(now, cfg.Before) }); err != nil {
			return time.Time{}, false, err
		}
	}
	return at, !at.IsZero(), nil
}

// firstReminder reads all keys for the first reminder due after now.
func (s *Store) firstReminder(now time.Time, before []time.Duration) (time.Time, error) {
	largest := before[len(before)-1]
	keys, err := s.expiringWithin(now, largest)
	if err != nil {
		return time.Time{}, err
	}
	// Beyond the window, the first expiry's largest threshold comes first.
	next, err := s.firstExpiryAfter(now.Add(largest))
	if !next.IsZero() {
		next = next.Add(-largest)
	}
	for _, k := range keys {
		next = clock.Earliest(next, nextReminder(k.ExpiresAt, k.ExpirySetAt, k.Reminded, before))
	}
	return next, err
}
