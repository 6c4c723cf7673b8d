package bolt

import (
	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// writeTx is a kv.Tx on a bbolt write transaction. It remembers the final
// state of every key it wrote, for the change stream.
type writeTx struct {
	readTx
	written map[string]int      // bucket ‖ 0 ‖ key → its entry
	entries []written           // the final state of each key, in first-write order
	name    []byte              // a key of written being built
	copies  []byte              // the block that copies of keys and values go into
	buckets map[string]*putInto // the buckets it has put into
	fences  []kv.Fence
	bytes   int
}

// A write transaction copies the keys and values it writes into blocks,
// each twice the size of the one before, from firstCopyBlock up to
// copyBlock: a chunk of bulk work writes thousands, and one allocation each
// cost as much as the puts themselves, while a small commit, which the
// change history may keep for a while, takes a small block.
const (
	firstCopyBlock = 512
	copyBlock      = 64 << 10
)

type written struct {
	change kv.Change
	// existed says whether the key existed before the transaction; it
	// matters only if the transaction ends by deleting it, so a put does
	// not look it up (known is false) and a delete after it asks then.
	existed, known bool
}

func newWriteTx(tx *bbolt.Tx, offset int64) *writeTx {
	return &writeTx{readTx: readTx{tx: tx, offset: offset}, written: map[string]int{}, buckets: map[string]*putInto{}}
}

// Get answers from the transaction's own writes first: bbolt returns nil
// for an empty value written in the same transaction.
func (w *writeTx) Get(bucket string, key []byte) ([]byte, error) {
	if i, ok := w.written[string(w.writtenKey(bucket, key))]; ok {
		return w.entries[i].change.Value, nil
	}
	return w.readTx.Get(bucket, key)
}

func (w *writeTx) Put(bucket string, key, value []byte) error {
	into, err := w.putInto(bucket)
	if err != nil {
		return err
	}
	into.put(key)
	value = w.copied(value)
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
	name := w.writtenKey(bucket, key)
	c.Bucket, c.Key = bucket, w.copied(key)
	w.bytes += len(key) + len(c.Value)
	i, ok := w.written[string(name)]
	switch {
	case !ok:
		i = len(w.entries)
		w.written[string(name)] = i
		w.entries = append(w.entries, written{})
		if c.Deleted {
			w.entries[i].existed, w.entries[i].known = b.Get(key) != nil, true
		}
	case c.Deleted && !w.entries[i].known:
		w.entries[i].existed, w.entries[i].known = w.committed(bucket, key), true
	}
	w.entries[i].change = c
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

func (w *writeTx) Usage() kv.Usage { return kv.Usage{Ops: len(w.entries), Bytes: w.bytes} }

// commitChanges lists the final state of each key written, in first-write
// order, leaving out deletions of keys that never existed.
func (w *writeTx) commitChanges() []kv.Change {
	out := make([]kv.Change, 0, len(w.entries))
	for _, e := range w.entries {
		if e.change.Deleted && !e.existed {
			continue
		}
		out = append(out, e.change)
	}
	return out
}

// writtenKey builds bucket ‖ 0 ‖ key, the name of a key in written, in a
// buffer of w's: valid until the next call.
func (w *writeTx) writtenKey(bucket string, key []byte) []byte {
	w.name = append(append(append(w.name[:0], bucket...), 0), key...)
	return w.name
}

// copied returns a copy of b, never nil, in w's current block of copies:
// it stays as it is for as long as anything holds it (bbolt until the
// commit, the change history after it).
func (w *writeTx) copied(b []byte) []byte {
	if w.copies == nil || len(b) > cap(w.copies)-len(w.copies) {
		w.copies = make([]byte, 0, max(min(2*cap(w.copies), copyBlock), firstCopyBlock, len(b)))
	}
	n := len(w.copies)
	w.copies = append(w.copies, b...)
	return w.copies[n:len(w.copies):len(w.copies)]
}
