package storage

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// checkPage is how many tokens one read transaction of the check looks up,
// so that checking a million keys never holds one transaction long.
const checkPage = 10000

// checkNewKeys refuses the first key that cannot be stored, naming its
// line. A token already stored is refused, unless skipStored is set and
// the stored key has the same name, permissions and creation time: then
// its index is in the returned set, to be skipped.
func (s *Store) checkNewKeys(keys []NewKey, skipStored bool) (map[int]bool, error) {
	now := s.clock.Now().UTC().Round(0)
	policy, err := s.Policy()
	if err != nil {
		return nil, err
	}
	hashes := make([][32]byte, len(keys))
	bad, badErr := firstBad(len(keys), func(i int) error {
		nk := &keys[i]
		name, err := model.ValidateName(nk.Name)
		if err == nil {
			err = nk.Permissions.Validate()
		}
		if err == nil && !nk.ExpiresAt.IsZero() && !nk.ExpiresAt.After(now) {
			err = fmt.Errorf("the key expired at %s", nk.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if err == nil {
			err = policy.bound(nk, now)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lineOf(*nk, i), err)
		}
		nk.Name = name
		if !nk.Token.IsZero() {
			hashes[i] = nk.Token.Hash()
		}
		return nil
	})
	seen := make(map[[32]byte]int, len(keys))
	for i := range bad { // a token twice before the first bad key comes first
		if keys[i].Token.IsZero() {
			continue
		}
		if first, dup := seen[hashes[i]]; dup {
			return nil, fmt.Errorf("%s: the same token as %s", lineOf(keys[i], i), lineOf(keys[first], first))
		}
		seen[hashes[i]] = i
	}
	if badErr != nil {
		return nil, badErr
	}
	stored := map[int]bool{}
	for from := 0; from < len(keys); from += checkPage {
		err := s.read(func(tx kv.ReadTx) error {
			for i := from; i < min(from+checkPage, len(keys)); i++ {
				same, err := storedAs(tx, keys[i])
				switch {
				case err != nil:
					return err
				case same == nil:
				case *same && skipStored:
					stored[i] = true
				default:
					return fmt.Errorf("%s: the token is already stored", lineOf(keys[i], i))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// storedAs looks nk's token up: nil when it is not stored, else whether
// the key holding it has nk's name, permissions and creation time.
func storedAs(tx kv.ReadTx, nk NewKey) (*bool, error) {
	if nk.Token.IsZero() {
		return nil, nil
	}
	h := nk.Token.Hash()
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
