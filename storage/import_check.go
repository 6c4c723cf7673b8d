package storage

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// checkInto checks the keys next yields, a block at a time, and hands each
// key to store to keep (keep), until the first that cannot be stored: its
// error names its line, and nothing stored so far matters. A token already
// stored is refused, unless skipStored is set and the stored key has the
// same name, permissions and creation time: then the key is skipped, and
// counted. Of each key it keeps only its token's hash, to refuse a token
// twice.
func (s *Store) checkInto(next KeyBlocks, skipStored bool, keep func(NewKey) error) (skipped int, err error) {
	c := keyCheck{s: s, now: s.clock.Now().UTC().Round(0), skipStored: skipStored, seen: map[seenToken]keyPlace{}}
	if c.policy, err = s.Policy(); err != nil {
		return 0, err
	}
	for {
		keys, err := next()
		if errors.Is(err, io.EOF) {
			return c.skipped, nil
		}
		if err != nil {
			return 0, err
		}
		if err := c.block(keys, keep); err != nil {
			return 0, err
		}
	}
}

// keyCheck is the state of checkInto.
type keyCheck struct {
	s          *Store
	now        time.Time
	policy     Policy
	skipStored bool
	seen       map[seenToken]keyPlace // each token: where it came first
	checked    int                    // keys in the blocks before
	skipped    int
}

// seenToken is what the check keeps of each token to find it twice: the
// first half of its SHA-256. Two different tokens among a million share
// it with a chance of about 10^-27, and that would only refuse a file;
// it halves the check's memory (44 B a key with the map, not 100).
type seenToken [16]byte

// block checks the keys of one block. The checks of each key come first,
// then the block's tokens are looked up in one read transaction: the
// first problem either finds is the one reported.
func (c *keyCheck) block(keys []NewKey, keep func(NewKey) error) error {
	hashes := make([][32]byte, len(keys))
	bad, badErr := len(keys), error(nil)
	for i := range keys {
		nk, at := &keys[i], placeOf(keys[i], c.checked+i)
		if err := c.key(nk); err != nil {
			bad, badErr = i, fmt.Errorf("%s: %w", at, err)
			break
		}
		if nk.Token.IsZero() {
			continue
		}
		hashes[i] = nk.Token.Hash()
		seen := seenToken(hashes[i][:16])
		if first, dup := c.seen[seen]; dup {
			bad, badErr = i, fmt.Errorf("%s: the same token as %s", at, first)
			break
		}
		c.seen[seen] = at
	}
	stored := make([]bool, bad)
	err := c.s.read(func(tx kv.ReadTx) error {
		for i := range bad {
			if keys[i].Token.IsZero() {
				continue
			}
			same, err := storedAs(tx, keys[i], hashes[i])
			switch {
			case err != nil:
				return err
			case same == nil:
			case *same && c.skipStored:
				stored[i] = true
			default:
				return fmt.Errorf("%s: the token is already stored", placeOf(keys[i], c.checked+i))
			}
		}
		return nil
	})
	if err == nil {
		err = badErr
	}
	if err != nil {
		return err
	}
	for i, nk := range keys {
		if stored[i] {
			c.skipped++
		} else if err := keep(nk); err != nil {
			return err
		}
	}
	c.checked += len(keys)
	return nil
}

// key checks what can be checked of a key on its own, and normalises its
// name and expiry.
func (c *keyCheck) key(nk *NewKey) error {
	name, err := model.ValidateName(nk.Name)
	if err != nil {
		return err
	}
	nk.Name = name
	if err := nk.Permissions.Validate(); err != nil {
		return err
	}
	if !nk.ExpiresAt.IsZero() && !nk.ExpiresAt.After(c.now) {
		return fmt.Errorf("the key expired at %s", nk.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return c.policy.bound(nk, c.now)
}

// storedAs looks up nk's token, whose hash is h: nil when it is not
// stored, else whether the key holding it has nk's name, permissions and
// creation time.
func storedAs(tx kv.ReadTx, nk NewKey, h [32]byte) (*bool, error) {
	id, err := tx.Get(string(bucketHash), h[:])
	if err != nil || id == nil {
		return nil, err
	}
	var rec keyRecord
	if _, err := getRecord(tx, bucketKeys, id, &rec); err != nil {
		return nil, err
	}
	same := rec.Name == nk.Name && rec.Permissions == nk.Permissions &&
		(nk.CreatedAt.IsZero() || rec.CreatedAt.Equal(nk.CreatedAt))
	return &same, nil
}
