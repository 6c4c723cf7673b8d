package storage

import (
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
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
	if taken, err := w.tx.Get(string(bucketHash), h[:]); err != nil || taken != nil {
		if err == nil {
			err = coded(ErrExists, "token already stored")
		}
		return model.Key{}, err
	}
	for id := nk.ID; ; id = "" { // a given id that is taken is replaced
		if id == "" {
			var err error
			if id, err = model.NewKeyID(w.s.rand); err != nil {
				return model.Key{}, err
			}
		}
		taken, err := w.tx.Get(string(bucketKeys), []byte(id))
		if err != nil {
			return model.Key{}, err
		}
		if taken == nil {
			nk.ID = id
			break
		}
	}
	id := nk.ID
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
	if err := w.tx.Put(string(bucketHash), h[:], []byte(id)); err != nil {
		return model.Key{}, err
	}
	if err := w.tx.Put(string(bucketOrder), placeKey(rec.Place), []byte(id)); err != nil {
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
		if err := w.tx.Put(string(bucketExpiry), ek, nil); err != nil {
			return err
		}
		if err := w.tx.Put(string(bucketExpiring), []byte(rec.ID), ek[:8]); err != nil {
			return err
		}
	}
	if err := w.indexDisabled(rec); err != nil {
		return err
	}
	if err := w.indexActive(rec.ID, isActive(rec)); err != nil {
		return err
	}
	return putRecord(w.tx, bucketKeys, []byte(rec.ID), rec) // the caches learn of it from the change stream
}

// destroyKey removes a key, its sealed secret and every index entry.
func (w *wtx) destroyKey(rec keyRecord) error {
	id := []byte(rec.ID)
	entries := [][2][]byte{{bucketHash, rec.Hash}, {bucketOrder, placeKey(rec.Place)}, {bucketDisabled, id}, {bucketIdle, id}}
	if !rec.ExpiresAt.IsZero() {
		entries = append(entries, [2][]byte{bucketExpiry, expiryKey(rec.ExpiresAt, rec.ID)}, [2][]byte{bucketExpiring, id})
	}
	for _, e := range entries {
		if err := w.tx.Delete(string(e[0]), e[1]); err != nil {
			return err
		}
	}
	if err := w.indexActive(rec.ID, false); err != nil {
		return err
	}
	if err := w.dropTraffic(rec.ID); err != nil {
		return err
	}
	if err := w.tx.Delete(string(bucketKeys), id); err != nil {
		return err
	}
	return w.noteDestroyed()
}

// findKey resolves an id or a unique prefix of one. A whole id is one
// read; a prefix reads the ids it matches, at most shownCandidates+1.
func findKey(tx kv.ReadTx, prefix string) (keyRecord, error) {
	var rec keyRecord
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return rec, coded(ErrNotFound, "invalid key id: ids are 12 lower-case letters and digits (a prefix is enough)")
	}
	if found, err := getRecord(tx, bucketKeys, []byte(prefix), &rec); found || err != nil {
		return rec, err
	}
	var ids []string
	err := tx.Scan(kv.Prefix(string(bucketKeys), []byte(prefix)), false, func(k, _ []byte) error {
		if ids = append(ids, string(k)); len(ids) > shownCandidates {
			return kv.ErrStop
		}
		return nil
	})
	if err != nil {
		return rec, err
	}
	switch len(ids) {
	case 0:
		return rec, coded(ErrNotFound, "no key with id %q", prefix)
	case 1:
	default:
		return rec, ambiguous(prefix, ids)
	}
	_, err = getRecord(tx, bucketKeys, []byte(ids[0]), &rec)
	return rec, err
}

// Get returns the key named by its id or a unique prefix of it.
func (s *Store) Get(idOrPrefix string) (model.Key, error) {
	var rec keyRecord
	err := s.read(func(tx kv.ReadTx) error {
		var err error
		if rec, err = findKey(tx, idOrPrefix); err != nil {
			return err
		}
		return newestUse(tx, &rec)
	})
	return rec.Key, err
}

// shownID is an id as an error may repeat it: user input that is not an id
// (a pasted token, an escape sequence) is never echoed.
func shownID(id string) string {
	if id == "" || len(id) > 12 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return "(invalid id)"
	}
	return id
}
