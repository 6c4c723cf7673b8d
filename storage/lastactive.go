package storage

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
	if err != nil {
		return err
	}
	return w.listActive(id, listed != nil, active)
}

// listActive is indexActive for a key whose place in the list is known
// (a new key is not listed).
func (w *wtx) listActive(id string, listed, active bool) error {
	if listed == active {
		return nil
	}
	n, err := w.activeCount()
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
	w.active.n, w.active.changed = n, true
	return err
}

// activeTally is the number of active keys as a write transaction has
// them: read once, kept in step by listActive and written back once when
// the transaction ends (flushActive), not once per key of a bulk chunk.
type activeTally struct {
	n               uint64
	loaded, changed bool
}

// activeCount is the number of active keys, this transaction's changes
// included.
func (w *wtx) activeCount() (uint64, error) {
	if !w.active.loaded {
		v, err := w.tx.Get(string(bucketMeta), metaActive)
		if err != nil {
			return 0, err
		}
		if v != nil && len(v) != 8 {
			return 0, corrupt("meta/active holds %d bytes, want 8", len(v))
		}
		if v != nil {
			w.active.n = decodeUint(v)
		}
		w.active.loaded = true
	}
	return w.active.n, nil
}

// flushActive writes the count back if the transaction changed it.
func (w *wtx) flushActive() error {
	if !w.active.changed {
		return nil
	}
	return w.tx.Put(string(bucketMeta), metaActive, encodeUint(w.active.n))
}

// keepOneActive returns refusal when rec is the last active key: the
// change the caller is about to make would leave none.
func (w *wtx) keepOneActive(rec keyRecord, refusal error) error {
	if !isActive(rec) {
		return nil
	}
	other, err := w.otherActiveKey(rec.ID)
	if err != nil || other {
		return err
	}
	return refusal
}

// otherActiveKey reports whether a key other than id is active.
func (w *wtx) otherActiveKey(id string) (bool, error) {
	n, err := w.activeCount()
	if err != nil {
		return false, err
	}
	self, err := w.tx.Get(string(bucketActive), []byte(id))
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
