package bolt

import (
	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// writeTx is a kv.Tx on a bbolt write transaction. It remembers the final
// state of every key it wrote, for the change stream.
type writeTx struct {
	readTx
	written map[string]*written // bucket ‖ 0 ‖ key → its final state
	order   []*written          // first-write order
	buckets map[string]*putInto // the buckets it has put into
	fences  []kv.Fence
	bytes   int
}

type written struct {
	change kv.Change
	// existed says whether the key existed before the transaction; it
	// matters only if the transaction ends by deleting it, so a put does
	// not look it up (known is false) and a delete after it asks then.
	existed, known bool
}

func newWriteTx(tx *bbolt.Tx, offset int64) *writeTx {
	return &writeTx{readTx: readTx{tx: tx, offset: offset}, written: map[string]*written{}, buckets: map[string]*putInto{}}
}

// Get answers from the transaction's own writes first: bbolt returns nil
// for an empty value written in the same transaction.
func (w *writeTx) Get(bucket string, key []byte) ([]byte, error) {
	if e, ok := w.written[writtenKey(bucket, key)]; ok {
		return e.change.Value, nil
	}
	return w.readTx.Get(bucket, key)
}

func (w *writeTx) Put(bucket string, key, value []byte) error {
	into, err := w.putInto(bucket)
	if err != nil {
		return err
	}
	into.put(key)
	value = append([]byte{}, value...)
	w.record(into.b, bucket, key, kv.Change{Value: value})
	return into.b.Put(key, value)
}

func (w *writeTx) Delete(bucket string, key []byte) error {
	var b *bbolt.Bucket
	if into := w.buckets[bucket]; into != nil {
		b = into.b
	} else if b = w.tx.Bucket([]byte(bucket)); b == nil {
		return nil
	}
	w.record(b, bucket, key, kv.Change{Deleted: true})
	return b.Delete(key)
}

// record notes a write before it happens. A delete needs to know whether
// the key existed before the transaction (see commitChanges); a put does
// not, and skips that lookup, which would cost as much as the put.
func (w *writeTx) record(b *bbolt.Bucket, bucket string, key []byte, c kv.Change) {
	id := writtenKey(bucket, key)
	c.Bucket, c.Key = bucket, append([]byte(nil), key...)
	w.bytes += len(key) + len(c.Value)
	e, ok := w.written[id]
	if !ok {
		e = &written{}
		w.written[id] = e
		w.order = append(w.order, e)
		if c.Deleted {
			e.existed, e.known = b.Get(key) != nil, true
		}
	} else if c.Deleted && !e.known {
		e.existed, e.known = w.committed(bucket, key), true
	}
	e.change = c
}

// committed reports whether key is in bucket as last committed, before
// this transaction's writes. A read transaction opened and closed within
// fn cannot deadlock the writer: bbolt remaps the file only in Commit.
func (w *writeTx) committed(bucket string, key []byte) bool {
	rtx, err := w.tx.DB().Begin(false)
	if err != nil {
		return true // unknown: the delete is reported, which is harmless
	}
	defer rtx.Rollback()
	b := rtx.Bucket([]byte(bucket))
	return b != nil && b.Get(key) != nil
}

func (w *writeTx) NextSequence(bucket string) (uint64, error) {
	into, err := w.putInto(bucket)
	if err != nil {
		return 0, err
	}
	return into.b.NextSequence()
}

func (w *writeTx) SetSequence(bucket string, n uint64) error {
	into, err := w.putInto(bucket)
	if err != nil {
		return err
	}
	return into.b.SetSequence(n)
}

func (w *writeTx) Fence(f kv.Fence) { w.fences = append(w.fences, f) }

func (w *writeTx) Usage() kv.Usage { return kv.Usage{Ops: len(w.order), Bytes: w.bytes} }

// commitChanges lists the final state of each key written, in first-write
// order, leaving out deletions of keys that never existed.
func (w *writeTx) commitChanges() []kv.Change {
	out := make([]kv.Change, 0, len(w.order))
	for _, e := range w.order {
		if e.change.Deleted && !e.existed {
			continue
		}
		out = append(out, e.change)
	}
	return out
}

func writtenKey(bucket string, key []byte) string { return bucket + "\x00" + string(key) }
