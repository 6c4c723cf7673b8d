package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// keepSent is how many delivered mails the outbox keeps for the view.
const keepSent = 1000

// notify writes the mail a single-key operation causes, in the
// operation's transaction.
func (w *wtx) notify(kind model.NotificationKind, actor string, key, newKey model.Key) error {
	n := w.notice(kind, actor, key)
	if newKey.ID != "" {
		n.NewKeyMasked = newKey.Masked()
	}
	return w.mail(n)
}

// notice is the notification about one key, for the caller to complete.
func (w *wtx) notice(kind model.NotificationKind, actor string, key model.Key) model.Notification {
	return model.Notification{Kind: kind, KeyID: key.ID, KeyName: key.Name, KeyMasked: key.Masked(),
		Actor: actor, At: w.now, ExpiresAt: key.ExpiresAt}
}

// mail addresses a notification to the admins of this moment and queues
// it. With no admin there is nobody to tell and nothing is written.
func (w *wtx) mail(n model.Notification) error {
	to, err := readAdmins(w.tx)
	if err != nil || len(to) == 0 {
		return err
	}
	seq, err := w.tx.NextSequence(string(bucketOutbox))
	if err != nil {
		return err
	}
	suffix, err := model.NewKeyID(w.s.rand)
	if err != nil {
		return err
	}
	n.ID, n.Organization, n.Recipients = fmt.Sprintf("%016x.%s", seq, suffix), w.s.org, to
	n.State, n.NextAttemptAt = model.MailPending, w.now
	return w.queueMail(encodeUint(seq), n)
}

// queueMail writes a new mail and its pending index entry.
func (w *wtx) queueMail(key []byte, n model.Notification) error {
	if err := putRecord(w.tx, bucketOutbox, key, n); err != nil {
		return err
	}
	w.pending++
	return w.tx.Put(string(bucketPending), key, nil)
}

// Outbox returns mail newest first; limit ≤ 0 means all.
func (s *Store) Outbox(limit int) ([]model.Notification, error) {
	out, err := newestFirst[model.Notification](s, bucketOutbox, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// MarkSent records a delivery. Marking a sent mail again changes nothing.
func (s *Store) MarkSent(id string, at time.Time) error {
	return s.updateMail(id, func(n *model.Notification) {
		n.State, n.SentAt, n.LastError, n.NextAttemptAt, n.Attempts = model.MailSent, at, "", time.Time{}, n.Attempts+1
		n.ClaimedBy, n.ClaimedUntil = "", time.Time{}
	})
}

// MarkFailed records a failed attempt and when to try again.
func (s *Store) MarkFailed(id, errMsg string, next time.Time) error {
	return s.updateMail(id, func(n *model.Notification) {
		n.State, n.LastError, n.NextAttemptAt, n.Attempts = model.MailFailed, errMsg, next, n.Attempts+1
		n.ClaimedBy, n.ClaimedUntil = "", time.Time{} // any worker may retry it
	})
}

// MarkWaiting records why a mail could not be attempted (no SMTP server
// configured) without counting an attempt. It writes, and so wakes the
// subscribers, only when the reason changes: a worker that marks and then
// hears its own change must not loop.
func (s *Store) MarkWaiting(id, reason string) error {
	var current model.Notification
	err := s.read(func(tx kv.ReadTx) error {
		seq, err := mailSeq(id)
		if err != nil {
			return err
		}
		_, err = getRecord(tx, bucketOutbox, encodeUint(seq), &current)
		return err
	})
	if err != nil {
		return fmt.Errorf("update mail %s: %w", id, err)
	}
	if current.ID == id && (current.LastError == reason || current.State == model.MailSent) {
		return nil
	}
	return s.updateMail(id, func(n *model.Notification) { n.LastError = reason })
}

// RetryMailNow makes every undelivered mail due at once.
func (s *Store) RetryMailNow() error {
	pending, err := s.pendingKeys()
	if err != nil {
		return err
	}
	return s.chunked(len(pending), func(w *wtx, i int) error {
		var n model.Notification
		if found, err := getRecord(w.tx, bucketOutbox, pending[i], &n); err != nil || !found || !n.NextAttemptAt.After(w.now) {
			return err
		}
		n.NextAttemptAt = w.now
		return putRecord(w.tx, bucketOutbox, pending[i], n)
	})
}

// updateMail applies change to one mail. A sent mail is final: a late
// failure report (two deliveries racing) must not turn it back to pending.
func (s *Store) updateMail(id string, change func(*model.Notification)) error {
	seq, err := mailSeq(id)
	if err != nil {
		return err
	}
	err = s.update(func(w *wtx) error {
		var n model.Notification
		found, err := getRecord(w.tx, bucketOutbox, encodeUint(seq), &n)
		if err != nil {
			return err
		}
		if !found || n.ID != id {
			return coded(ErrNotFound, "no mail %s", id)
		}
		if n.State == model.MailSent {
			return nil
		}
		change(&n)
		if err := putRecord(w.tx, bucketOutbox, encodeUint(seq), n); err != nil {
			return err
		}
		if n.State != model.MailSent {
			return nil
		}
		w.pending--
		return w.tx.Delete(string(bucketPending), encodeUint(seq))
	})
	if err != nil {
		return fmt.Errorf("update mail %s: %w", id, err)
	}
	return nil
}

// mailSeq reads the outbox key from a mail id (16 hex digits, a dot, a suffix).
func mailSeq(id string) (uint64, error) {
	head, _, ok := strings.Cut(id, ".")
	seq, err := strconv.ParseUint(head, 16, 64)
	if !ok || len(head) != 16 || err != nil {
		return 0, coded(ErrNotFound, "no mail %q: bad id", model.Printable(id))
	}
	return seq, nil
}

// stateOf reads only the state of a stored mail.
func stateOf(v []byte) model.MailState {
	var n struct {
		State model.MailState `json:"state"`
	}
	if json.Unmarshal(v, &n) != nil {
		return ""
	}
	return n.State
}
