package storage

import (
	"fmt"
	"slices"
	"time"

	"github.com/keyrack/keyrack/model"
)

// RotatedKey is one rotation done by RotateAll.
type RotatedKey struct {
	Key      model.Key   // the new key
	Token    model.Token // its token
	Replaces string      // the id of the key it replaces
	late     bool        // rotated once the grace period had ended
}

// RotateAllResult counts what RotateAll did.
type RotateAllResult struct {
	Rotated int
	Skipped int // keys already expiring (rotated before, or changed meanwhile)
	// Late counts keys rotated once the grace period had ended (the
	// rotation of many keys outlasted it): their old tokens stopped at once.
	Late int
}

// RotateAll rotates every active key, as Rotate does one, in chunks
// (chunk.go), each one transaction with its audit records, and sends one
// mail. Every old key gets the same expiry, so that one expiry pass (and
// one mail) retires them all. The keys are those active when it starts;
// keys created meanwhile are left alone. The grace period counts from the
// start: keys rotated after it has ended (a rotation of very many keys
// can outlast a short one) are replaced at once, as a rotation "now" does,
// and counted as Late; so one expiry pass, at the end of the grace period,
// retires the others. done, if set, gets each chunk's rotations once the
// chunk has committed. The garbage of a rotation of more than one chunk is
// given back when it ends (giveBackAfter), not kept by a serve.
func (s *Store) RotateAll(actor string, delay time.Duration, done func([]RotatedKey)) (RotateAllResult, error) {
	var res RotateAllResult
	// With a grace period still running the old keys stay until one expiry
	// pass, after which the file is worth compacting; compacted now, it
	// would be again after that pass. A rotation that outlasted its grace
	// period (Late) met that pass already, while few old keys were due.
	defer func() { s.giveBackAfter(res.Rotated, delay == 0 || res.Late > 0) }()
	if err := checkDelay(delay); err != nil {
		return res, fmt.Errorf("rotate all: %w", err)
	}
	ids, expiring, err := s.activeIDs()
	if err != nil {
		return res, fmt.Errorf("rotate all: %w", err)
	}
	// In id order, with successors' ids drawn in ascending order, a
	// chunk's old records, their index entries and the new records all
	// fall in one narrow range of ids: a few pages per chunk instead of a
	// random page of each for every key.
	slices.Sort(ids)
	newIDs, err := s.ascendingIDs(len(ids))
	if err != nil {
		return res, err
	}
	res.Skipped = expiring
	b, err := s.newBulk(actor, rotationKind(delay))
	if err != nil {
		return res, err
	}
	b.expiresAt = s.clock.Now().UTC().Round(0).Add(delay)
	if delay > 0 { // keys rotated once the grace period has ended mail as rotated now
		if b.other, err = s.newBulk(actor, rotationKind(0)); err != nil {
			return res, err
		}
	}
	rotated := make([]RotatedKey, min(len(ids), chunkMax))
	err = b.apply(len(ids), true, func(w *wtx, i, j int) (*model.NotifiedKey, bool, error) {
		rotated[j] = RotatedKey{}
		var old keyRecord
		found, err := getRecord(w.tx, bucketKeys, []byte(ids[i]), &old)
		if err != nil {
			return nil, false, err
		}
		if !found || !old.ExpiresAt.IsZero() {
			return nil, false, nil // deleted or rotated since the list was read
		}
		late := delay > 0 && !w.now.Before(b.expiresAt)
		grace := delay
		if late {
			grace = 0 // retired with its rotation, not by another expiry pass
		}
		key, tok, err := w.rotate(actor, &old, newIDs.at(i), grace, b.expiresAt)
		if err != nil {
			return nil, false, err
		}
		rotated[j] = RotatedKey{Key: key, Token: tok, Replaces: old.ID, late: late}
		named := notified(old.Key, &key)
		return &named, late, nil
	}, func(from, to int) {
		var chunk []RotatedKey
		for _, r := range rotated[:to-from] {
			if r.Replaces == "" {
				res.Skipped++
				continue
			}
			chunk = append(chunk, r)
			if r.late {
				res.Late++
			}
		}
		res.Rotated += len(chunk)
		if done != nil {
			done(chunk)
		}
	})
	if err != nil {
		return res, fmt.Errorf("rotate all: %w", err)
	}
	return res, nil
}
