package storage

import (
	"bytes"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// createKey generates a token and stores a new key. from is the key it
// replaces (nil for a new family).
func (w *wtx) createKey(actor string, nk NewKey, from *keyRecord) (model.Key, model.Token, error) {
	tok, err := model.GenerateToken(w.s.rand)
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	nk.Token = tok
	k, err := w.insertKey(actor, nk, from)
	return k, tok, err
}

// insertKey stores a key with its token, under a new id. A token that is
// already stored is refused: the hash index maps each token to one key.
func (w *wtx) insertKey(actor string, nk NewKey, from *keyRecord) (model.Key, error) {
	h := nk.Token.Hash()
	hashes := w.btx().Bucket(bucketHash)
	if hashes.Get(h[:]) != nil {
		return model.Key{}, coded(ErrExists, "token already stored")
	}
	var id string
	for {
		var err error
		if id, err = model.NewKeyID(w.s.rand); err != nil {
			return model.Key{}, err
		}
		if w.btx().Bucket(bucketKeys).Get([]byte(id)) == nil {
			break
		}
	}
	sealed, err := w.s.sealer.seal(id, []byte(nk.Token.Reveal()))
	if err != nil {
		return model.Key{}, err
	}
	created := w.now
	if !nk.CreatedAt.IsZero() {
		created = nk.CreatedAt.UTC().Round(0)
	}
	rec := keyRecord{
		Key: model.Key{ID: id, Name: nk.Name, Last4: nk.Token.Last4(), Permissions: nk.Permissions,
			CreatedAt: created, CreatedBy: actor, LastUsedAt: utc(nk.LastUsedAt), ExpiresAt: utc(nk.ExpiresAt)},
		Hash: h[:], Sealed: sealed, Place: ownPlace(id, created.UnixNano()),
	}
	if from != nil {
		rec.RotatedFrom, rec.Place = from.ID, from.Place.next()
	}
	if !rec.ExpiresAt.IsZero() {
		rec.ExpirySetAt = w.now
	}
	if err := hashes.Put(h[:], []byte(id)); err != nil {
		return model.Key{}, err
	}
	if err := w.btx().Bucket(bucketOrder).Put(placeKey(rec.Place), []byte(id)); err != nil {
		return model.Key{}, err
	}
	if err := w.putKey(rec); err != nil {
		return model.Key{}, err
	}
	return rec.Key, nil
}

// utc normalises a time given from outside (zero stays zero).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Round(0)
}

// putKey writes a key record and its expiry index entries.
func (w *wtx) putKey(rec keyRecord) error {
	if !rec.ExpiresAt.IsZero() {
		ek := expiryKey(rec.ExpiresAt, rec.ID)
		if err := w.btx().Bucket(bucketExpiry).Put(ek, nil); err != nil {
			return err
		}
		if err := w.btx().Bucket(bucketExpiring).Put([]byte(rec.ID), ek[:8]); err != nil {
			return err
		}
	}
	if err := w.indexDisabled(rec); err != nil {
		return err
	}
	if err := putJSON(w.btx().Bucket(bucketKeys), []byte(rec.ID), rec); err != nil {
		return err
	}
	w.changes = append(w.changes, cacheChange{hash: rec.Hash, key: rec.Key, place: rec.Place})
	return nil
}

// destroyKey removes a key, its sealed secret and every index entry.
func (w *wtx) destroyKey(rec keyRecord) error {
	if !rec.ExpiresAt.IsZero() {
		if err := w.btx().Bucket(bucketExpiry).Delete(expiryKey(rec.ExpiresAt, rec.ID)); err != nil {
			return err
		}
		if err := w.btx().Bucket(bucketExpiring).Delete([]byte(rec.ID)); err != nil {
			return err
		}
	}
	if err := w.btx().Bucket(bucketHash).Delete(rec.Hash); err != nil {
		return err
	}
	if err := w.btx().Bucket(bucketOrder).Delete(placeKey(rec.Place)); err != nil {
		return err
	}
	if err := w.btx().Bucket(bucketDisabled).Delete([]byte(rec.ID)); err != nil {
		return err
	}
	if err := w.btx().Bucket(bucketIdle).Delete([]byte(rec.ID)); err != nil {
		return err
	}
	if err := w.dropUsageBefore(rec.ID, time.Time{}); err != nil {
		return err
	}
	if err := w.btx().Bucket(bucketKeys).Delete([]byte(rec.ID)); err != nil {
		return err
	}
	if err := w.noteDestroyed(); err != nil {
		return err
	}
	w.changes = append(w.changes, cacheChange{hash: rec.Hash, key: rec.Key, place: rec.Place, deleted: true})
	return nil
}

// findKey resolves an id or a unique prefix of one.
func findKey(tx *bolt.Tx, prefix string) (keyRecord, error) {
	var rec keyRecord
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return rec, coded(ErrNotFound, "invalid key id: ids are 12 lower-case letters and digits (a prefix is enough)")
	}
	b := tx.Bucket(bucketKeys)
	var ids []string
	c := b.Cursor()
	for k, _ := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, _ = c.Next() {
		ids = append(ids, string(k))
		if string(k) == prefix {
			ids = []string{prefix}
			break
		}
	}
	switch len(ids) {
	case 0:
		return rec, coded(ErrNotFound, "no key with id %q", prefix)
	case 1:
	default:
		return rec, ambiguous(prefix, ids)
	}
	if _, err := getJSON(b, []byte(ids[0]), &rec); err != nil {
		return rec, err
	}
	return rec, nil
}

// Get returns the key named by its id or a unique prefix of it.
func (s *Store) Get(idOrPrefix string) (model.Key, error) {
	var rec keyRecord
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		rec, err = findKey(tx, idOrPrefix)
		return err
	})
	return rec.Key, err
}

// otherActiveKey reports whether a key other than id is enabled and has
// no expiry.
func otherActiveKey(tx *bolt.Tx, id string) bool {
	expiring, disabled := tx.Bucket(bucketExpiring), tx.Bucket(bucketDisabled)
	c := tx.Bucket(bucketKeys).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if string(k) != id && expiring.Get(k) == nil && disabled.Get(k) == nil {
			return true
		}
	}
	return false
}

// shownID is an id as an error may repeat it: user input that is not an id
// (a pasted token, an escape sequence) is never echoed.
func shownID(id string) string {
	if id == "" || len(id) > 12 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return "(invalid id)"
	}
	return id
}
