package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

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
	sizes     *chunker
	other     *bulk // a second mail of the same operation, if any (see step)
	unchecked int   // keys done since the resident file's size was last checked
}

// Bulk work reads pages of the file at random places: each key its token's
// hash and its place in the order (ids and hashes are random), and the
// kernel maps the 64 KB around every page read as well (fault-around), so
// the file's pages counted in RSS grow by ~150 KB a key of a rotation; left
// alone, a rotation of a million keys ends with 1.5 GB of the file
// resident. So every residentCheckKeys keys, bulk work drops the file's
// pages from resident memory, inside its chunks' transactions, when more
// than residentBudget of the files the process maps are resident.
//
// Dropping them is what costs: the pages read again fault in again (the
// branch pages of every B-tree at once, each with its 64 KB). An import of
// a million keys (BenchmarkMillionImport) took 72–82 s when it dropped them
// every 256 keys, 55–61 s with this budget, 53 s when it never did (and
// ended with 465 MB of the file resident); over SSH into serve, 89–91 s
// before and 58 s now, with serve's VmHWM at 737 MB. The budget keeps
// serve's RSS under its 800 MB beside a heap held at the memory limit's
// 640 MiB.
const (
	residentBudget    = 96 << 20
	residentCheckKeys = 64
)

// releaseResident drops the file's pages from resident memory in the
// middle of a transaction when more than residentBudget is resident
// (bbolt only); failing to costs memory, not correctness.
func (w *wtx) releaseResident() {
	if r, ok := w.tx.(interface{ ReleaseResidentOver(int64) error }); ok {
		_ = r.ReleaseResidentOver(residentBudget)
	}
}

func (s *Store) newBulk(actor string, kind model.NotificationKind) (*bulk, error) {
	id, err := model.NewKeyID(s.rand)
	if err != nil {
		return nil, err
	}
	return &bulk{s: s, actor: actor, kind: kind, draft: []byte(id), sizes: newChunker()}, nil
}

// step does item i of a bulk operation, the chunk's j-th (j < chunkMax), in
// the chunk's transaction. It returns the key to count in the mail, or nil
// when the item was skipped; with other set, it counts in the mail of the
// operation's other bulk event. A transaction may be retried, so step keeps
// its results by j, not by appending.
type step func(w *wtx, i, j int) (k *model.NotifiedKey, other bool, err error)

// tally is what a chunk adds to one bulk mail.
type tally struct {
	named []model.NotifiedKey
	count int
}

func (t *tally) add(k model.NotifiedKey) {
	if t.count++; len(t.named) < model.BulkListed {
		t.named = append(t.named, k)
	}
}

// apply does items 0…n-1 in chunks, each one transaction with the chunk's
// share of the mail drafts (b's and b.other's): as many items as fit the
// backend's limits, at most as many as the chunker allows, and no more
// once the chunk has held the write lock for the chunker's target. With last
// set, the chunk that does item n-1 also moves the mails to the outbox.
// committed, if set, learns each chunk's items [from, to) once it has
// committed.
func (b *bulk) apply(n int, last bool, do step, committed func(from, to int)) error {
	for from := 0; from < n; {
		to := from
		held, err := b.s.updateHeld(func(w *wtx) error {
			var mine, others tally
			taken, err := w.fill(from, min(n, from+b.sizes.size), sendReserve, w.pastChunkHold, func(w *wtx, i int) error {
				if b.unchecked++; b.unchecked == residentCheckKeys {
					b.unchecked = 0
					w.releaseResident()
				}
				k, other, err := do(w, i, i-from)
				switch {
				case k != nil && other:
					others.add(*k)
				case k != nil:
					mine.add(*k)
				}
				return err
			})
			if err != nil {
				return err
			}
			to = from + taken
			if b.other != nil {
				if err := w.draftChunk(b.other, others.named, others.count, last && to == n); err != nil {
					return err
				}
			}
			return w.draftChunk(b, mine.named, mine.count, last && to == n)
		})
		if err != nil {
			return err
		}
		b.sizes.committed(to-from, held)
		if committed != nil {
			committed(from, to)
		}
		from = to
	}
	return nil
}

// finish sends the mail when the last chunk could not know it was last.
func (b *bulk) finish() error {
	return b.s.update(func(w *wtx) error { return w.sendDraft(b.draft) })
}

// draftChunk adds a chunk's keys to the draft and, with last, sends it.
func (w *wtx) draftChunk(b *bulk, keys []model.NotifiedKey, count int, last bool) error {
	if err := w.addToDraft(b, keys, count); err != nil {
		return err
	}
	if last {
		return w.sendDraft(b.draft)
	}
	return nil
}

func (w *wtx) addToDraft(b *bulk, keys []model.NotifiedKey, count int) error {
	if count == 0 {
		return nil
	}
	n := model.Notification{Kind: b.kind, Actor: b.actor, At: w.now, ExpiresAt: b.expiresAt, Command: b.command}
	if _, err := getRecord(w.tx, bucketDrafts, b.draft, &n); err != nil {
		return err
	}
	n.Count += count
	n.Keys = append(n.Keys, keys[:min(len(keys), model.BulkListed-len(n.Keys))]...)
	return putRecord(w.tx, bucketDrafts, b.draft, n)
}

// sendDraft moves a draft to the outbox. A bulk event that touched one key
// mails as a single operation does.
func (w *wtx) sendDraft(id []byte) error {
	var n model.Notification
	found, err := getRecord(w.tx, bucketDrafts, id, &n)
	if err != nil || !found {
		return err
	}
	if err := w.tx.Delete(string(bucketDrafts), id); err != nil {
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
	err := s.read(func(tx kv.ReadTx) error {
		ids = ids[:0]
		return tx.Scan(kv.Range{Bucket: string(bucketDrafts)}, false, func(k, _ []byte) error {
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
