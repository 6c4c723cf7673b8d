package storage

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// wtx is one write transaction. Operations write through it so that the
// change, its audit record and its notification share one commit.
type wtx struct {
	s       *Store
	tx      kv.Tx
	now     time.Time
	locked  time.Time // when commit took writeMu (by lockClock); a retry keeps it
	pending int       // change in the number of undelivered mails
	active  activeTally
}

// update runs fn in one transaction and returns once the caches and the
// subscribers have it (feed.go): whoever wrote reads what it wrote.
// Nothing is published if fn or the commit fails.
func (s *Store) update(fn func(w *wtx) error) error {
	_, err := s.updateHeld(fn)
	return err
}

// updateHeld is update that also returns how long its commit held
// writeMu, the lock every other writer of this process waits on: what a
// bulk chunk is sized by.
func (s *Store) updateHeld(fn func(w *wtx) error) (time.Duration, error) {
	rev, held, err := s.commit(fn)
	if err == nil {
		s.feed.waitFor(rev)
	}
	return held, err
}

// commit runs fn under writeMu and returns how long it held it. The lock
// is released by defer: a transaction rolls back when fn panics, and a
// panic recovered further up (an SSH session) must not leave every later
// write waiting on the lock.
func (s *Store) commit(fn func(w *wtx) error) (rev int64, held time.Duration, err error) {
	s.writeMu.Lock()
	locked := s.lockClock.Now()
	defer func() {
		held = s.lockClock.Now().Sub(locked)
		if s.heldHook != nil {
			s.heldHook(held)
		}
		s.writeMu.Unlock()
	}()
	now := s.clock.Now().UTC().Round(0)
	w := &wtx{}
	rev, err = s.write(func(tx kv.Tx) error {
		*w = wtx{s: s, tx: tx, now: now, locked: locked} // a retried transaction starts over
		if s.fence != (kv.Fence{}) {
			tx.Fence(s.fence)
		}
		if err := fn(w); err != nil {
			return err
		}
		return w.flushActive()
	})
	if err != nil {
		return 0, held, err
	}
	s.pendingMail.Add(int64(w.pending))
	return rev, held, nil
}

// audit appends an audit record; subscribers learn of it as an Event.
func (w *wtx) audit(actor, action string, k *model.Key, detail string) error {
	return w.appendAudit(actor, action, k, "", detail)
}

// auditMember appends an audit record about a member.
func (w *wtx) auditMember(actor, action, email, detail string) error {
	return w.appendAudit(actor, action, nil, email, detail)
}

func (w *wtx) appendAudit(actor, action string, k *model.Key, member, detail string) error {
	body, err := auditBody(actor, action, k, member, detail)
	if err != nil {
		return err
	}
	return w.putAudit(body)
}

// putRecord stores v as JSON under key in bucket.
func putRecord(tx kv.Tx, bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(string(bucket), key, data)
}

// getRecord decodes the JSON record under key in bucket into v; false when
// there is none.
func getRecord(tx kv.ReadTx, bucket, key []byte, v any) (bool, error) {
	data, err := tx.Get(string(bucket), key)
	if err != nil || data == nil {
		return false, err
	}
	return true, decodeJSON(key, data, v)
}

// decodeJSON decodes a record read by a cursor. A record that does not
// decode shows a damaged file; the error names its key.
func decodeJSON(key, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return corrupt("record %x does not decode (%v)", key, err)
	}
	return nil
}

func encodeUint(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func decodeUint(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// expiryKey orders the expiry index by time, then id.
func expiryKey(t time.Time, id string) []byte {
	return append(encodeUint(uint64(t.UnixNano())), id...)
}
