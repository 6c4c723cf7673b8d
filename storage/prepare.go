package storage

import (
	"time"

	"github.com/keyrack/keyrack/model"
)

// preparedKey is a new key ready to store: its token drawn (when it had
// none), hashed and sealed, and its record built and encoded. That is the
// costly part of creating a key and needs no transaction, so bulk creation
// prepares keys ahead of the chunk that stores them, outside the write
// lock (ahead.go).
type preparedKey struct {
	nk   NewKey     // what it was prepared from, with its token
	from *keyRecord // the key it replaces, if any
	rec  keyRecord  // as it will be stored
	hash [32]byte   // the token's, the key of the lookup index
	data []byte     // rec encoded
	// audit is its audit record's body (auditrecord.go), when bulk
	// creation prepared it too.
	audit []byte
}

// prepareKey prepares nk as created by actor at now, under nk.ID (a new
// random id when empty); from is the key it replaces (nil for a new family).
func (s *Store) prepareKey(actor string, nk NewKey, from *keyRecord, now time.Time) (preparedKey, error) {
	var err error
	if nk.Token.IsZero() {
		if nk.Token, err = model.GenerateToken(s.rand); err != nil {
			return preparedKey{}, err
		}
	}
	id := nk.ID
	if id == "" {
		if id, err = model.NewKeyID(s.rand); err != nil {
			return preparedKey{}, err
		}
	}
	sealed, err := s.sealer.seal(id, []byte(nk.Token.Reveal()))
	if err != nil {
		return preparedKey{}, err
	}
	created := now
	if !nk.CreatedAt.IsZero() {
		created = nk.CreatedAt.UTC().Round(0)
	}
	p := preparedKey{nk: nk, from: from, hash: nk.Token.Hash()}
	p.rec = keyRecord{
		Key: model.Key{ID: id, Name: nk.Name, Last4: nk.Token.Last4(), Permissions: nk.Permissions,
			CreatedAt: created, CreatedBy: actor, LastUsedAt: utc(nk.LastUsedAt), ExpiresAt: utc(nk.ExpiresAt)},
		Hash: p.hash[:], Sealed: sealed, Place: ownPlace(id, created.UnixNano()),
	}
	if from != nil {
		p.rec.RotatedFrom, p.rec.Place = from.ID, from.Place.next()
	}
	if !p.rec.ExpiresAt.IsZero() {
		p.rec.ExpirySetAt = now
	}
	p.data, err = p.rec.MarshalJSON()
	return p, err
}

// utc normalises a time given from outside (zero stays zero).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Round(0)
}
