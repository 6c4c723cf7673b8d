package storage

import (
	"time"

	"github.com/keyrack/keyrack/model"
)

// preparedKey is a new key ready to store: its token drawn (when it had
// none), hashed and sealed, and its record built and encoded. That is the
// costly part of creating a key and needs no transaction, so bulk creation
// prepares keys ahead of the chunk that stores them, outside the write
// lock (ahead.go); insertKey brings such a key up to date with its commit.
type preparedKey struct {
	nk NewKey // what it was prepared from, with its token
	// generated: the token was drawn here, not given
	generated bool
	from      *keyRecord // the key it replaces, if any
	rec       keyRecord  // as it will be stored
	hash      [32]byte   // the token's, the key of the lookup index
	data      []byte     // rec encoded
	sealer    *sealer    // the master key rec.Sealed is sealed under
	now       time.Time  // the time rec is dated by
	// audit is its audit record's body (auditrecord.go), when bulk
	// creation prepared it too.
	audit []byte
}

// prepareKey prepares nk as created by actor at now, under nk.ID (a new
// random id when empty); from is the key it replaces (nil for a new family).
func (s *Store) prepareKey(actor string, nk NewKey, from *keyRecord, now time.Time) (preparedKey, error) {
	var err error
	generated := nk.Token.IsZero()
	if generated {
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
	p := preparedKey{nk: nk, generated: generated, from: from, hash: nk.Token.Hash()}
	p.rec = keyRecord{
		Key: model.Key{ID: id, Name: nk.Name, Last4: nk.Token.Last4(), LagoToken: nk.Token.IsLago(), Permissions: nk.Permissions,
			CreatedBy: actor, LastUsedAt: utc(nk.LastUsedAt), ExpiresAt: utc(nk.ExpiresAt)},
		Hash: p.hash[:],
	}
	if from != nil {
		p.rec.RotatedFrom = from.ID
	}
	if err := p.seal(s.sealer.Load()); err != nil {
		return preparedKey{}, err
	}
	return p, p.date(now)
}

// seal seals the token under sl.
func (p *preparedKey) seal(sl *sealer) error {
	sealed, err := sl.seal(p.rec.ID, []byte(p.nk.Token.Reveal()))
	p.rec.Sealed, p.sealer = sealed, sl
	return err
}

// date dates the record by now, when it was created (unless it came with
// its own creation time) and when its expiry was set, then encodes it.
func (p *preparedKey) date(now time.Time) error {
	created := now
	if !p.nk.CreatedAt.IsZero() {
		created = p.nk.CreatedAt.UTC().Round(0)
	}
	p.rec.CreatedAt, p.rec.Place = created, ownPlace(p.rec.ID, created.UnixNano())
	if p.from != nil {
		p.rec.Place = p.from.Place.next()
	}
	if !p.rec.ExpiresAt.IsZero() {
		p.rec.ExpirySetAt = now
	}
	p.now = now
	var err error
	p.data, err = p.rec.MarshalJSON()
	return err
}

// datedByNow reports whether the record holds the time it was dated by:
// a key that came with its creation time and has no expiry does not.
func (p *preparedKey) datedByNow() bool {
	return p.nk.CreatedAt.IsZero() || !p.rec.ExpiresAt.IsZero()
}

// current brings a key prepared ahead of its commit up to date with the
// commit w: sealed under the master key of now (a rekey may have run since)
// and dated by w.now, as its audit record is.
func (p *preparedKey) current(w *wtx) error {
	if sl := w.s.sealer.Load(); sl != p.sealer {
		if err := p.seal(sl); err != nil {
			return err
		}
		return p.date(w.now)
	}
	if !p.now.Equal(w.now) && p.datedByNow() {
		return p.date(w.now)
	}
	return nil
}

// utc normalises a time given from outside (zero stays zero).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Round(0)
}
