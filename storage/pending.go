package storage

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
	err := s.read(func(tx kv.ReadTx) error {
		out = nil
		return tx.Scan(kv.Range{Bucket: string(bucketPending)}, false, func(k, _ []byte) error {
			var n model.Notification
			found, err := getRecord(tx, bucketOutbox, k, &n)
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
	keys, err := s.pendingKeys()
	s.pendingMail.Store(int64(len(keys)))
	return err
}

// pendingKeys lists the outbox keys of the undelivered mail, oldest first.
func (s *Store) pendingKeys() ([][]byte, error) {
	var keys [][]byte
	err := s.read(func(tx kv.ReadTx) error {
		keys = nil
		return tx.Scan(kv.Range{Bucket: string(bucketPending)}, false, func(k, _ []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		})
	})
	return keys, err
}

// PruneSent deletes delivered mail beyond the newest 1,000. The mail
// worker calls it once per pass. It reads keys only, never decodes a mail,
// and writes only when there is something to delete (a write wakes the
// worker, which must not loop on its own pruning).
func (s *Store) PruneSent() error {
	pending, err := s.pendingKeys()
	if err != nil {
		return fmt.Errorf("prune sent mail: %w", err)
	}
	undelivered := map[string]bool{}
	for _, k := range pending {
		undelivered[string(k)] = true
	}
	var old [][]byte
	err = s.read(func(tx kv.ReadTx) error {
		old = nil
		kept := 0
		return tx.Scan(kv.Range{Bucket: string(bucketOutbox)}, true, func(k, _ []byte) error {
			switch {
			case undelivered[string(k)]:
			case kept < keepSent:
				kept++
			default:
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		})
	})
	if err == nil {
		err = s.chunked(len(old), func(w *wtx, i int) error {
			if p, err := w.tx.Get(string(bucketPending), old[i]); err != nil || p != nil {
				return err // queued again meanwhile: not a sent mail
			}
			return w.tx.Delete(string(bucketOutbox), old[i])
		})
	}
	if err != nil {
		return fmt.Errorf("prune sent mail: %w", err)
	}
	return nil
}
