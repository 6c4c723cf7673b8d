package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

var metaMaxLifetime = []byte("max_lifetime") // big-endian nanoseconds; absent: no policy

// Policy is the organization's lifetime policy.
type Policy struct {
	// MaxLifetime bounds the lifetime of every new key (0: no bound).
	MaxLifetime time.Duration
}

// Policy returns the lifetime policy.
func (s *Store) Policy() (Policy, error) {
	var p Policy
	err := s.read(func(tx kv.ReadTx) (err error) {
		p, err = readPolicy(tx)
		return err
	})
	return p, err
}

// SetMaxLifetime sets the lifetime policy (0: none), audited. Keys that
// exist keep their expiry; the policy bounds new keys and new expiries.
func (s *Store) SetMaxLifetime(actor string, d time.Duration) error {
	if d != 0 && (d < model.MinLifetime || d > model.MaxLifetime) {
		return fmt.Errorf("policy: max lifetime %s is out of range", model.FormatSpan(d))
	}
	err := s.update(func(w *wtx) error {
		detail := "max lifetime: none"
		if d == 0 {
			if err := w.tx.Delete(string(bucketMeta), metaMaxLifetime); err != nil {
				return err
			}
		} else {
			detail = "max lifetime: " + model.FormatSpan(d)
			if err := w.tx.Put(string(bucketMeta), metaMaxLifetime, encodeUint(uint64(d))); err != nil {
				return err
			}
		}
		return w.audit(actor, model.ActionPolicy, nil, detail)
	})
	if err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	return nil
}

func readPolicy(tx kv.ReadTx) (Policy, error) {
	v, err := tx.Get(string(bucketMeta), metaMaxLifetime)
	if err != nil || len(v) != 8 {
		return Policy{}, err
	}
	return Policy{MaxLifetime: time.Duration(decodeUint(v))}, nil
}

// expiry returns the expiry of a key given a lifetime from now (0: none):
// the policy's bound when none is asked, a refusal beyond it.
func (p Policy) expiry(now time.Time, lifetime time.Duration) (time.Time, error) {
	switch {
	case p.MaxLifetime == 0 && lifetime == 0:
		return time.Time{}, nil
	case p.MaxLifetime == 0:
		return now.Add(lifetime), nil
	case lifetime == 0:
		return now.Add(p.MaxLifetime), nil
	case lifetime > p.MaxLifetime:
		return time.Time{}, fmt.Errorf("a lifetime of %s is beyond the policy's max lifetime of %s (keyrack policy)", model.FormatSpan(lifetime), model.FormatSpan(p.MaxLifetime))
	}
	return now.Add(lifetime), nil
}

// bound applies the policy to a new key: a lifetime becomes an expiry, the
// policy's when none is given; an expiry beyond it is refused.
func (p Policy) bound(nk *NewKey, now time.Time) error {
	if !nk.ExpiresAt.IsZero() {
		if p.MaxLifetime > 0 && nk.ExpiresAt.After(now.Add(p.MaxLifetime)) {
			return fmt.Errorf("the key expires at %s, beyond the policy's max lifetime of %s (keyrack policy)", nk.ExpiresAt.UTC().Format(time.RFC3339), model.FormatSpan(p.MaxLifetime))
		}
		return nil
	}
	at, err := p.expiry(now, nk.Lifetime)
	nk.ExpiresAt = at
	return err
}
