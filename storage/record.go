package storage

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// keyRecord is a key as stored: the key, the hash of its token, the token
// sealed with the master key, and its place in the display order.
type keyRecord struct {
	model.Key
	Hash   []byte
	Sealed []byte
	Place  place
}

// wireKey is keyRecord's encoding: permissions as one digit per resource
// and times as Unix nanoseconds, so that reading 100,000 keys stays cheap.
type wireKey struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Last4       string `json:"last4"`
	Perms       string `json:"perms"`
	CreatedAt   int64  `json:"created"`
	CreatedBy   string `json:"by,omitempty"`
	LastUsedAt  int64  `json:"used,omitempty"`
	ExpiresAt   int64  `json:"expires,omitempty"`
	RotatedFrom string `json:"from,omitempty"`
	ReplacedBy  string `json:"to,omitempty"`
	Hash        []byte `json:"hash"`
	Sealed      []byte `json:"sealed"`
	PlaceAt     int64  `json:"pat,omitempty"`
	PlaceRoot   string `json:"proot,omitempty"`
	PlaceGen    uint32 `json:"pgen,omitempty"`
	Disabled    bool   `json:"off,omitempty"`
	ExpirySetAt int64  `json:"eset,omitempty"`
	IdleRetire  int64  `json:"idle,omitempty"`
	Reminded    int64  `json:"rem,omitempty"`
	Lago        bool   `json:"lago,omitempty"`
}

func (r keyRecord) MarshalJSON() ([]byte, error) {
	pl := r.Place
	if pl == ownPlace(r.ID, nanos(r.CreatedAt)) {
		pl = place{} // the usual case, implied by id and creation time
	}
	perms := make([]byte, model.ResourceCount)
	for i, a := range r.Permissions {
		perms[i] = '0' + byte(a)
	}
	return json.Marshal(wireKey{
		ID: r.ID, Name: r.Name, Last4: r.Last4, Perms: string(perms),
		CreatedAt: nanos(r.CreatedAt), CreatedBy: r.CreatedBy,
		LastUsedAt: nanos(r.LastUsedAt), ExpiresAt: nanos(r.ExpiresAt),
		RotatedFrom: r.RotatedFrom, ReplacedBy: r.ReplacedBy,
		Hash: r.Hash, Sealed: r.Sealed,
		PlaceAt: pl.At, PlaceRoot: pl.Root, PlaceGen: pl.Gen,
		Disabled: r.Disabled, ExpirySetAt: nanos(r.ExpirySetAt),
		IdleRetire: int64(r.IdleRetire), Reminded: int64(r.Reminded),
		Lago: r.LagoToken,
	})
}

func (r *keyRecord) UnmarshalJSON(b []byte) error {
	var w wireKey
	if !w.scan(b, true, nil) { // the usual layout, read without reflection (keydecode.go)
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
	}
	return w.record(r, nil)
}

// parsePerms reads permissions stored as one digit per resource.
func parsePerms(id, digits string) (model.Permissions, error) {
	var perms model.Permissions
	if len(digits) != model.ResourceCount {
		return perms, fmt.Errorf("key %s: permissions for %d resources, want %d", id, len(digits), model.ResourceCount)
	}
	for i := range perms {
		perms[i] = model.Access(digits[i] - '0')
	}
	if err := perms.Validate(); err != nil {
		return perms, fmt.Errorf("key %s: bad permissions: %w", id, err)
	}
	return perms, nil
}

// record converts the stored form to a keyRecord, checking the permissions
// (once per distinct value when memo is set).
func (w *wireKey) record(r *keyRecord, memo *decodeMemo) error {
	perms, err := memo.permissions(w.ID, w.Perms)
	if err != nil {
		return err
	}
	*r = keyRecord{
		Key: model.Key{
			ID: w.ID, Name: w.Name, Last4: w.Last4, Permissions: perms,
			CreatedAt: fromNanos(w.CreatedAt), CreatedBy: w.CreatedBy,
			LastUsedAt: fromNanos(w.LastUsedAt), ExpiresAt: fromNanos(w.ExpiresAt),
			RotatedFrom: w.RotatedFrom, ReplacedBy: w.ReplacedBy,
			Disabled: w.Disabled, ExpirySetAt: fromNanos(w.ExpirySetAt),
			IdleRetire: time.Duration(w.IdleRetire), Reminded: time.Duration(w.Reminded),
			LagoToken: w.Lago,
		},
		Hash: w.Hash, Sealed: w.Sealed,
		Place: place{At: w.PlaceAt, Root: w.PlaceRoot, Gen: w.PlaceGen},
	}
	if w.PlaceRoot == "" { // written before places were stored, or implied
		r.Place = ownPlace(r.ID, w.CreatedAt)
	}
	return nil
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
