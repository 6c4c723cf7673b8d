package storage

import (
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// createKey stores a new key with a new token. from is the key it
// replaces (nil for a new family).
func (w *wtx) createKey(actor string, nk NewKey, from *keyRecord) (model.Key, model.Token, error) {
	p, err := w.s.prepareKey(actor, nk, from, w.now)
	if err != nil {
		return model.Key{}, model.Token{}, err
	}
	return w.insertKey(actor, p)
}

// insertKey stores a prepared key, brought up to date with w first. A
// token that is already stored is refused: the hash index maps each token
// to one key. An id taken meanwhile is replaced, and the key prepared again
// under the new one.
func (w *wtx) insertKey(actor string, p preparedKey) (model.Key, model.Token, error) {
	if taken, err := w.tx.Get(string(bucketHash), p.hash[:]); err != nil || taken != nil {
		if err == nil {
			err = coded(ErrExists, "token already stored")
		}
		return model.Key{}, model.Token{}, err
	}
	for {
		taken, err := w.tx.Get(string(bucketKeys), []byte(p.rec.ID))
		if err != nil {
			return model.Key{}, model.Token{}, err
		}
		if taken == nil {
			break
		}
		nk := p.nk
		nk.ID = ""
		if p, err = w.s.prepareKey(actor, nk, p.from, w.now); err != nil {
			return model.Key{}, model.Token{}, err
		}
	}
	if err := p.current(w); err != nil {
		return model.Key{}, model.Token{}, err
	}
	if err := w.tx.Put(string(bucketHash), p.hash[:], []byte(p.rec.ID)); err != nil {
		return model.Key{}, model.Token{}, err
	}
	if err := w.tx.Put(string(bucketOrder), placeKey(p.rec.Place), []byte(p.rec.ID)); err != nil {
		return model.Key{}, model.Token{}, err
	}
	// A new key is not disabled, and no index can hold its new id yet.
	if err := w.listActive(p.rec.ID, false, isActive(p.rec)); err != nil {
		return model.Key{}, model.Token{}, err
	}
	if err := w.writeKey(p.rec, p.data); err != nil {
		return model.Key{}, model.Token{}, err
	}
	return p.rec.Key, p.nk.Token, nil
}

// putKey writes a key record and its index entries.
func (w *wtx) putKey(rec keyRecord) error {
	data, err := rec.MarshalJSON()
	if err != nil {
		return err
	}
	if err := w.indexDisabled(rec); err != nil {
		return err
	}
	if err := w.indexActive(rec.ID, isActive(rec)); err != nil {
		return err
	}
	return w.writeKey(rec, data)
}

// writeKey writes an encoded key record with its expiry index entries.
func (w *wtx) writeKey(rec keyRecord, data []byte) error {
	if !rec.ExpiresAt.IsZero() {
		ek := expiryKey(rec.ExpiresAt, rec.ID)
		if err := w.tx.Put(string(bucketExpiry), ek, nil); err != nil {
			return err
		}
		if err := w.tx.Put(string(bucketExpiring), []byte(rec.ID), ek[:8]); err != nil {
			return err
		}
	}
	return w.tx.Put(string(bucketKeys), []byte(rec.ID), data) // the caches learn of it from the change stream
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
