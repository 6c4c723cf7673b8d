package storage

import (
	"fmt"
	"slices"
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

// Import creates keys in chunks (chunk.go), each one transaction with its
// audit records, and sends one mail. Before anything is stored, every key
// is checked (name, permissions, expiry, and no token twice in the input
// or already stored as another key); the first problem refuses the whole
// import and names its line, never its token. A key already stored exactly
// as given is skipped, so that an interrupted import can be run again.
// done, if set, gets each chunk's keys once the chunk has committed. Its
// garbage is given back when it ends (giveBack), not kept by a serve.
func (s *Store) Import(actor string, keys []NewKey, done func([]Imported)) (ImportResult, error) {
	defer s.giveBack()
	var res ImportResult
	stored, err := s.checkNewKeys(keys, true)
	if err != nil {
		return res, err
	}
	todo := keys
	if len(stored) > 0 {
		todo = make([]NewKey, 0, len(keys)-len(stored))
		for i, nk := range keys {
			if !stored[i] {
				todo = append(todo, nk)
			}
		}
	}
	res.Skipped = len(keys) - len(todo)
	res.Imported, err = s.storeKeys(actor, "imported; ", todo, func(from int, made []model.Key, toks []model.Token) {
		if done == nil {
			return
		}
		out := make([]Imported, len(made))
		for i := range made {
			out[i] = Imported{Key: made[i], Token: toks[i], Generated: todo[from+i].Token.IsZero()}
		}
		done(out)
	})
	return res, err
}

// createKeys checks keys, then stores them as Import does; a token already
// stored is refused.
func (s *Store) createKeys(actor, how string, keys []NewKey, done func([]model.Key, []model.Token)) (int, error) {
	if _, err := s.checkNewKeys(keys, false); err != nil {
		return 0, err
	}
	return s.storeKeys(actor, how, keys, func(_ int, made []model.Key, toks []model.Token) {
		if done != nil {
			done(made, toks)
		}
	})
}

// storeKeys stores checked keys in chunks with one mail; done gets each
// committed chunk, from its first index in keys.
func (s *Store) storeKeys(actor, how string, keys []NewKey, done func(from int, made []model.Key, toks []model.Token)) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	b, err := s.newBulk(actor, model.NotifyCreated)
	if err != nil {
		return 0, err
	}
	if err := s.assignIDs(keys); err != nil {
		return 0, err
	}
	audit := func(k *model.Key) ([]byte, error) {
		return auditBody(actor, model.ActionCreate, k, "", how+"permissions "+k.Permissions.Summary())
	}
	ahead := s.prepareAhead(actor, keys, audit)
	defer ahead.close()
	made := make([]model.Key, min(len(keys), chunkMax))
	toks := make([]model.Token, len(made))
	stored := 0
	err = b.apply(len(keys), true, func(w *wtx, i, j int) (*model.NotifiedKey, bool, error) {
		p, err := ahead.key(i)
		if err == nil {
			made[j], toks[j], err = w.insertKey(actor, *p)
		}
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", lineOf(keys[i], i), err)
		}
		k, body := &made[j], p.audit
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
		ahead.release(to)
		done(from, made[:to-from], toks[:to-from])
	})
	if err != nil {
		return stored, fmt.Errorf("create keys: %w", err)
	}
	return stored, nil
}

// assignIDs gives the keys random ids in ascending order, so that each
// chunk of a bulk creation writes into a narrow run of the key records'
// pages instead of a random page for every key: far fewer pages per
// commit. Only the chunks above the greatest id stored append, and so get
// full pages (storage/bolt/append.go). An id taken meanwhile is replaced
// by insertKey.
func (s *Store) assignIDs(keys []NewKey) error {
	ids, err := s.ascendingIDs(len(keys))
	if err != nil {
		return err
	}
	for i := range keys {
		keys[i].ID = ids[i]
	}
	return nil
}

// ascendingIDs draws n random ids and sorts them.
func (s *Store) ascendingIDs(n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		id, err := model.NewKeyID(s.rand)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	slices.Sort(ids)
	return ids, nil
}

func lineOf(nk NewKey, i int) string {
	if nk.Line > 0 {
		return fmt.Sprintf("line %d", nk.Line)
	}
	return fmt.Sprintf("key %d", i+1)
}
