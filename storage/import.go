package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// NewKey is one key to create in bulk (an import).
type NewKey struct {
	Line        int    // where it came from, for errors; 0 means its position
	ID          string // empty: a new random id (bulk creation sets it)
	Name        string
	Permissions model.Permissions
	Token       model.Token // zero: generated
	CreatedAt   time.Time   // zero: now
	LastUsedAt  time.Time
	ExpiresAt   time.Time // zero: active, or Lifetime from now
	Lifetime    time.Duration
}

// Imported is one key an import stored.
type Imported struct {
	Key       model.Key
	Token     model.Token
	Generated bool // the token was generated: shown now or never
}

// ImportResult counts what Import did.
type ImportResult struct {
	Imported int
	// Skipped counts keys whose token was already stored with the same
	// name, permissions and creation time: an earlier run of the same
	// file stored them (it was interrupted, or is run again).
	Skipped int
}

// KeyBlocks yields the keys of an import a block at a time, in order, and
// io.EOF after the last block (keyimport.Reader's Next is one). Import
// keeps no block once it asks for the next.
type KeyBlocks func() ([]NewKey, error)

// InOneBlock yields keys as one block.
func InOneBlock(keys []NewKey) KeyBlocks {
	done := false
	return func() ([]NewKey, error) {
		if done {
			return nil, io.EOF
		}
		done = true
		return keys, nil
	}
}

// Import creates the keys next yields in chunks (chunk.go), each one
// transaction with its audit records, and sends one mail. Before anything
// is stored, every key is checked (name, permissions, expiry, and no token
// twice in the input or already stored as another key); the first problem
// refuses the whole import and names its line, never its token. A key
// already stored exactly as given is skipped, so that an interrupted
// import can be run again. done, if set, gets each chunk's keys once the
// chunk has committed.
//
// The input is read once, a block at a time: the check keeps of each key
// only its token's hash (to find a token twice) and writes the key to a
// spool (spool.go), sealed under a key of its own; the chunks read the
// spool. So an import's memory does not grow with its input but by that
// hash per key, and standard input works as a file does. The garbage of an
// import of more than one chunk is given back when it ends (giveBackAfter),
// not kept by a serve.
func (s *Store) Import(actor string, next KeyBlocks, done func([]Imported)) (ImportResult, error) {
	var res ImportResult
	defer func() { s.giveBackAfter(res.Imported, true) }()
	sp, err := newGroupedSpool(s.spoolDir(), s.rand)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer sp.close()
	skipped, err := s.checkInto(next, true, sp.add)
	if err != nil {
		return res, err
	}
	if err := sp.rewind(); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	res.Skipped = skipped
	res.Imported, err = s.storeKeys(actor, "imported; ", sp.count(), sp.next, done)
	return res, err
}

// spoolDir is where an import's spool goes: beside the database, on the
// disk that holds it, rather than in a temporary directory that may be
// memory.
func (s *Store) spoolDir() string {
	if s.path == "" {
		return os.TempDir()
	}
	return filepath.Dir(s.path)
}

// createKeys checks keys, then stores them as Import does; a token already
// stored is refused.
func (s *Store) createKeys(actor, how string, keys []NewKey, done func([]Imported)) (int, error) {
	checked := make([]NewKey, 0, len(keys))
	if _, err := s.checkInto(InOneBlock(keys), false, func(nk NewKey) error {
		checked = append(checked, nk)
		return nil
	}); err != nil {
		return 0, err
	}
	return s.storeKeys(actor, how, len(checked), listed(checked), done)
}

// listed yields keys one by one, then io.EOF.
func listed(keys []NewKey) func() (NewKey, error) {
	i := 0
	return func() (NewKey, error) {
		if i == len(keys) {
			return NewKey{}, io.EOF
		}
		i++
		return keys[i-1], nil
	}
}

// storeKeys stores the n checked keys next yields, in chunks with one
// mail; done, if set, gets each committed chunk.
func (s *Store) storeKeys(actor, how string, n int, next func() (NewKey, error), done func([]Imported)) (int, error) {
	if n == 0 {
		return 0, nil
	}
	b, err := s.newBulk(actor, model.NotifyCreated)
	if err != nil {
		return 0, err
	}
	// Random ids in ascending order, so that each chunk writes into a
	// narrow run of the key records' pages instead of a random page for
	// every key: far fewer pages per commit. Only the chunks above the
	// greatest id stored append, and so get full pages
	// (storage/bolt/append.go). An id taken meanwhile is replaced by
	// insertKey.
	ids, err := s.ascendingIDs(n)
	if err != nil {
		return 0, err
	}
	audit := func(k *model.Key) ([]byte, error) {
		return auditBody(actor, model.ActionCreate, k, "", how+"permissions "+k.Permissions.Summary())
	}
	ahead := s.prepareAhead(actor, ids, next, audit)
	defer ahead.close()
	var made []Imported // the chunk's keys, by their place in it
	stored := 0
	err = b.apply(n, true, func(w *wtx, i, j int) (*model.NotifiedKey, bool, error) {
		p, err := ahead.key(i)
		if err != nil {
			return nil, false, err
		}
		if j >= len(made) {
			made = append(made, make([]Imported, j+1-len(made))...)
		}
		made[j].Generated = p.generated
		if made[j].Key, made[j].Token, err = w.insertKey(actor, *p); err != nil {
			return nil, false, fmt.Errorf("%s: %w", placeOf(p.nk, i), err)
		}
		k, body := &made[j].Key, p.audit
		if k.ID != p.rec.ID { // stored under another id: the body names the one prepared
			if body, err = audit(k); err != nil {
				return nil, false, err
			}
		}
		if err := w.putAudit(body); err != nil {
			return nil, false, err
		}
		named := notified(*k, nil)
		return &named, false, nil
	}, func(from, to int) {
		stored = to
		ahead.release(to, b.sizes.size)
		if done != nil {
			done(made[:to-from])
		}
	})
	if err != nil {
		return stored, fmt.Errorf("create keys: %w", err)
	}
	return stored, nil
}

// sortedIDs are random key ids in ascending order, each kept as the number
// its base-36 digits spell: 8 bytes and no pointer rather than a 32-byte
// string, so that the ids of a million new keys take 8 MB.
type sortedIDs struct {
	nums   []uint64
	digits int
}

// ascendingIDs draws n random ids (model.NewKeyID) and sorts them.
func (s *Store) ascendingIDs(n int) (sortedIDs, error) {
	ids := sortedIDs{nums: make([]uint64, n)}
	for i := range ids.nums {
		id, err := model.NewKeyID(s.rand)
		if err != nil {
			return sortedIDs{}, err
		}
		// Fixed-length strings of 0-9a-z sort as the numbers they spell.
		if ids.nums[i], err = strconv.ParseUint(id, 36, 64); err != nil || id != strings.ToLower(id) || ids.digits != 0 && len(id) != ids.digits {
			return sortedIDs{}, fmt.Errorf("new key id %q: not base-36 digits of one length", id)
		}
		ids.digits = len(id)
	}
	slices.Sort(ids.nums)
	return ids, nil
}

func (ids sortedIDs) len() int { return len(ids.nums) }

// at is id i.
func (ids sortedIDs) at(i int) string {
	const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, ids.digits)
	for j, v := len(b)-1, ids.nums[i]; j >= 0; j, v = j-1, v/36 {
		b[j] = base36[v%36]
	}
	return string(b)
}

// keyPlace names a key of a bulk creation in errors: its line in the
// input or, when it came with none, its place among the keys, as -place.
type keyPlace int32

func placeOf(nk NewKey, i int) keyPlace {
	if nk.Line > 0 {
		return keyPlace(nk.Line)
	}
	return -keyPlace(i + 1)
}

func (p keyPlace) String() string {
	if p > 0 {
		return fmt.Sprintf("line %d", p)
	}
	return fmt.Sprintf("key %d", -p)
}
