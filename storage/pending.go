package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// bucketPending indexes the undelivered mail: outbox seq → nothing. It is
// written in the transaction that writes or delivers the mail, so the mail
// worker and the undelivered count never scan the whole outbox.
var bucketPending = []byte("outbox_pending")

// PendingMail returns how many mails wait for delivery. The number is kept
// in step with every commit, not counted.
func (s *Store) PendingMail() int { return int(s.pendingMail.Load()) }

// PendingMails returns the undelivered mail, oldest first, read through the
// pending index.
func (s *Store) PendingMails() ([]model.Notification, error) {
	var out []model.Notification
	err := s.view(func(tx *bolt.Tx) error {
		outbox := tx.Bucket(bucketOutbox)
		return tx.Bucket(bucketPending).ForEach(func(k, _ []byte) error {
			var n model.Notification
			found, err := getJSON(outbox, k, &n)
			if err != nil || !found {
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

// countPending counts the undelivered mail once, at open.
func (s *Store) countPending() error {
	return s.view(func(tx *bolt.Tx) error {
		n := 0
		c := tx.Bucket(bucketPending).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		s.pendingMail.Store(int64(n))
		return nil
	})
}

// fillPending builds the pending index of an outbox written before it existed.
func fillPending(tx *bolt.Tx, idx *bolt.Bucket) error {
	return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		if stateOf(v) == model.MailSent {
			return nil
		}
		return idx.Put(k, nil)
	})
}

// PruneSent deletes delivered mail beyond the newest 1,000. The mail
// worker calls it once per pass. It reads keys only, never decodes a mail,
// and writes only when there is something to delete (a write wakes the
// worker, which must not loop on its own pruning).
func (s *Store) PruneSent() error {
	var old [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		pending := tx.Bucket(bucketPending)
		kept := 0
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			switch {
			case pending.Get(k) != nil:
			case kept < keepSent:
				kept++
			default:
				old = append(old, append([]byte(nil), k...))
			}
		}
		return nil
	})
	if err == nil && len(old) > 0 {
		err = s.update(func(w *wtx) error {
			outbox, pending := w.btx().Bucket(bucketOutbox), w.btx().Bucket(bucketPending)
			for _, k := range old {
				if pending.Get(k) != nil {
					continue
				}
				if err := outbox.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("prune sent mail: %w", err)
	}
	return nil
}
