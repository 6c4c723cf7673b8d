package storage

import "github.com/keyrack/keyrack/storage/kv"

// bucketActive lists the active keys, enabled and without an expiry:
// id → nothing; meta's "active" counts them. The last-active-key rule
// reads two records, never a list of keys, so a write transaction stays
// small on etcd whatever the number of keys.
var (
	bucketActive = []byte("active")
	metaActive   = []byte("active")
)

// isActive reports whether rec counts for the last-active-key rule.
func isActive(rec keyRecord) bool { return !rec.Disabled && rec.ExpiresAt.IsZero() }

// indexActive puts id in the active list or takes it out, keeping the
// count in step; it writes only when that changes something.
func (w *wtx) indexActive(id string, active bool) error {
	listed, err := w.tx.Get(string(bucketActive), []byte(id))
	if err != nil || (listed != nil) == active {
		return err
	}
	n, err := activeCount(w.tx)
	if err != nil {
		return err
	}
	if !active && n == 0 {
		return corrupt("key %s is in the active list, which is counted empty", id)
	}
	if active {
		n++
		err = w.tx.Put(string(bucketActive), []byte(id), nil)
	} else {
		n--
		err = w.tx.Delete(string(bucketActive), []byte(id))
	}
	if err != nil {
		return err
	}
	return w.tx.Put(string(bucketMeta), metaActive, encodeUint(n))
}

// activeCount is the number of active keys.
func activeCount(tx kv.ReadTx) (uint64, error) {
	v, err := tx.Get(string(bucketMeta), metaActive)
	if err != nil || v == nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, corrupt("meta/active holds %d bytes, want 8", len(v))
	}
	return decodeUint(v), nil
}

// keepOneActive returns refusal when rec is the last active key: the
// change the caller is about to make would leave none.
func (w *wtx) keepOneActive(rec keyRecord, refusal error) error {
	if !isActive(rec) {
		return nil
	}
	other, err := otherActiveKey(w.tx, rec.ID)
	if err != nil || other {
		return err
	}
	return refusal
}

// otherActiveKey reports whether a key other than id is active.
func otherActiveKey(tx kv.ReadTx, id string) (bool, error) {
	n, err := activeCount(tx)
	if err != nil {
		return false, err
	}
	self, err := tx.Get(string(bucketActive), []byte(id))
	if err != nil {
		return false, err
	}
	if self != nil {
		if n == 0 {
			return false, corrupt("key %s is in the active list, which is counted empty", id)
		}
		n--
	}
	return n > 0, nil
}
