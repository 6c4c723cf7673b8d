package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// chunkSize bounds how many keys one transaction of a bulk operation
// touches, so that the write lock is released often and no commit holds it
// long, whatever the number of keys.
const chunkSize = 1000

// bucketDrafts holds the mail of bulk operations still running: draft id →
// Notification. Each chunk adds its keys in its own transaction; the last
// chunk moves the draft to the outbox. A draft left by a crash is sent at
// the next open.
var bucketDrafts = []byte("mail_drafts")

// bulk is one bulk operation: chunks in separate transactions, one mail.
type bulk struct {
	s         *Store
	actor     string
	kind      model.NotificationKind
	draft     []byte
	expiresAt time.Time
	command   string // reminders: how admins reach keyrack
}

func (s *Store) newBulk(actor string, kind model.NotificationKind) (*bulk, error) {
	id, err := model.NewKeyID(s.rand)
	if err != nil {
		return nil, err
	}
	return &bulk{s: s, actor: actor, kind: kind, draft: []byte(id)}, nil
}

// chunk runs fn in one transaction and adds to the bulk mail the count of
// keys fn reports, with the first of them by name; with last set, the mail
// goes to the outbox in the same transaction.
func (b *bulk) chunk(last bool, fn func(w *wtx) (named []model.NotifiedKey, count int, err error)) error {
	return b.s.update(func(w *wtx) error {
		keys, count, err := fn(w)
		if err != nil {
			return err
		}
		if err := w.addToDraft(b, keys, count); err != nil {
			return err
		}
		if last {
			return w.sendDraft(b.draft)
		}
		return nil
	})
}

// finish sends the mail when the last chunk could not know it was last.
func (b *bulk) finish() error {
	return b.s.update(func(w *wtx) error { return w.sendDraft(b.draft) })
}

func (w *wtx) addToDraft(b *bulk, keys []model.NotifiedKey, count int) error {
	if count == 0 {
		return nil
	}
	drafts := w.btx().Bucket(bucketDrafts)
	n := model.Notification{Kind: b.kind, Actor: b.actor, At: w.now, ExpiresAt: b.expiresAt, Command: b.command}
	if _, err := getJSON(drafts, b.draft, &n); err != nil {
		return err
	}
	n.Count += count
	n.Keys = append(n.Keys, keys[:min(len(keys), model.BulkListed-len(n.Keys))]...)
	return putJSON(drafts, b.draft, n)
}

// sendDraft moves a draft to the outbox. A bulk event that touched one key
// mails as a single operation does.
func (w *wtx) sendDraft(id []byte) error {
	drafts := w.btx().Bucket(bucketDrafts)
	var n model.Notification
	found, err := getJSON(drafts, id, &n)
	if err != nil || !found {
		return err
	}
	if err := drafts.Delete(id); err != nil {
		return err
	}
	if n.Count == 1 && len(n.Keys) == 1 {
		k := n.Keys[0]
		n.KeyID, n.KeyName, n.KeyMasked, n.NewKeyMasked = k.ID, k.Name, k.Masked, k.NewMasked
		if !k.ExpiresAt.IsZero() {
			n.ExpiresAt, n.LastUsedAt = k.ExpiresAt, k.LastUsedAt
		}
		n.Count, n.Keys = 0, nil
	}
	return w.mail(n)
}

// sendLeftoverDrafts sends the mail of bulk operations a crash interrupted:
// what their finished chunks did.
func (s *Store) sendLeftoverDrafts() error {
	var ids [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDrafts).ForEach(func(k, _ []byte) error {
			ids = append(ids, append([]byte(nil), k...))
			return nil
		})
	})
	if err != nil || len(ids) == 0 {
		return err
	}
	err = s.update(func(w *wtx) error {
		for _, id := range ids {
			if err := w.sendDraft(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("send interrupted bulk mail: %w", err)
	}
	return nil
}

// notified names a key in a bulk mail; newKey is its replacement, if any.
func notified(k model.Key, newKey *model.Key) model.NotifiedKey {
	n := model.NotifiedKey{ID: k.ID, Name: k.Name, Masked: k.Masked()}
	if newKey != nil {
		n.NewMasked = newKey.Masked()
	}
	return n
}
