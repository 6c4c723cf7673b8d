package storage

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// keepSent is how many delivered mails the outbox keeps for the view.
const keepSent = 1000

// notify writes the mail an operation causes, in the operation's
// transaction, addressed to the admins of this moment. With no admin there
// is nobody to tell and nothing is written.
func (w *wtx) notify(kind model.NotificationKind, actor string, key, newKey model.Key) error {
	ms, err := members(w.tx)
	if err != nil {
		return err
	}
	var to []string
	for _, m := range ms {
		if m.Role == model.RoleAdmin {
			to = append(to, m.Email)
		}
	}
	if len(to) == 0 {
		return nil
	}
	b := w.tx.Bucket(bucketOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	suffix, err := model.NewKeyID(w.s.rand)
	if err != nil {
		return err
	}
	n := model.Notification{
		ID: fmt.Sprintf("%016x.%s", seq, suffix), Kind: kind, Organization: w.s.org,
		KeyID: key.ID, KeyName: key.Name, KeyMasked: key.Masked(),
		Actor: actor, At: w.now, ExpiresAt: key.ExpiresAt, Recipients: to,
		State: model.MailPending, NextAttemptAt: w.now,
	}
	if newKey.ID != "" {
		n.NewKeyMasked = newKey.Masked()
	}
	return putJSON(b, encodeUint(seq), n)
}

// Outbox returns mail newest first; limit ≤ 0 means all.
func (s *Store) Outbox(limit int) ([]model.Notification, error) {
	var out []model.Notification
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		c := b.Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			var n model.Notification
			if _, err := getJSON(b, k, &n); err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// Undelivered returns the mail not yet sent, oldest first.
func (s *Store) Undelivered() ([]model.Notification, error) {
	var out []model.Notification
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		return b.ForEach(func(k, v []byte) error {
			if bytes.Contains(v, []byte(`"state":"sent"`)) {
				return nil
			}
			var n model.Notification
			if _, err := getJSON(b, k, &n); err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// MarkSent records a delivery and prunes the oldest delivered mail beyond 1,000.
func (s *Store) MarkSent(id string, at time.Time) error {
	return s.updateMail(id, func(n *model.Notification) {
		n.State, n.SentAt, n.LastError, n.Attempts = model.MailSent, at, "", n.Attempts+1
	}, true)
}

// MarkFailed records a failed attempt and when to try again.
func (s *Store) MarkFailed(id, errMsg string, next time.Time) error {
	return s.updateMail(id, func(n *model.Notification) {
		n.State, n.LastError, n.NextAttemptAt, n.Attempts = model.MailFailed, errMsg, next, n.Attempts+1
	}, false)
}

// MarkWaiting records why a mail could not be attempted (no SMTP server
// configured) without counting an attempt.
func (s *Store) MarkWaiting(id, reason string) error {
	return s.updateMail(id, func(n *model.Notification) { n.LastError = reason }, false)
}

// RetryMailNow makes every undelivered mail due at once.
func (s *Store) RetryMailNow() error {
	return s.update(func(w *wtx) error {
		b := w.tx.Bucket(bucketOutbox)
		return b.ForEach(func(k, v []byte) error {
			var n model.Notification
			if _, err := getJSON(b, k, &n); err != nil || n.State == model.MailSent {
				return err
			}
			n.NextAttemptAt = w.now
			return putJSON(b, k, n)
		})
	})
}

func (s *Store) updateMail(id string, change func(*model.Notification), prune bool) error {
	seq, err := strconv.ParseUint(id[:min(16, len(id))], 16, 64)
	if err != nil {
		return fmt.Errorf("mail %q: bad id", id)
	}
	err = s.update(func(w *wtx) error {
		b := w.tx.Bucket(bucketOutbox)
		var n model.Notification
		found, err := getJSON(b, encodeUint(seq), &n)
		if err != nil {
			return err
		}
		if !found || n.ID != id {
			return coded(ErrNotFound, "no mail %s", id)
		}
		change(&n)
		if err := putJSON(b, encodeUint(seq), n); err != nil {
			return err
		}
		if prune {
			return pruneSent(b)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update mail %s: %w", id, err)
	}
	return nil
}

func pruneSent(b *bolt.Bucket) error {
	var sent [][]byte
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if bytes.Contains(v, []byte(`"state":"sent"`)) {
			sent = append(sent, append([]byte(nil), k...))
		}
	}
	for _, k := range sent[min(len(sent), keepSent):] {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
