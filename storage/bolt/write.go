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
	fences  []kv.Fence
	bytes   int
}

type written struct {
	change  kv.Change
	existed bool // the key existed before the transaction
}

func newWriteTx(tx *bbolt.Tx, offset int64) *writeTx {
	return &writeTx{readTx: readTx{tx: tx, offset: offset}, written: map[string]*written{}}
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
	b, err := w.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return err
	}
	value = append([]byte{}, value...)
	w.record(b, bucket, key, kv.Change{Value: value})
	return b.Put(key, value)
}

func (w *writeTx) Delete(bucket string, key []byte) error {
	b := w.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	w.record(b, bucket, key, kv.Change{Deleted: true})
	return b.Delete(key)
}

// record notes a write before it happens, so that whether the key existed
// before the transaction is known.
func (w *writeTx) record(b *bbolt.Bucket, bucket string, key []byte, c kv.Change) {
	id := writtenKey(bucket, key)
	c.Bucket, c.Key = bucket, append([]byte(nil), key...)
	w.bytes += len(key) + len(c.Value)
	if e, ok := w.written[id]; ok {
		e.change = c
		return
	}
	e := &written{change: c, existed: b.Get(key) != nil}
	w.written[id] = e
	w.order = append(w.order, e)
}

func (w *writeTx) NextSequence(bucket string) (uint64, error) {
	b, err := w.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return 0, err
	}
	return b.NextSequence()
}

func (w *writeTx) SetSequence(bucket string, n uint64) error {
	b, err := w.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return err
	}
	return b.SetSequence(n)
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
