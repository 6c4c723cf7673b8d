package etcd

import (
	"bytes"
	"encoding/binary"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

// writeTx buffers writes over a pinned read revision and records what the
// commit must compare: each key read (its mod revision), each range
// scanned (nothing in it changed since) and each scanned bucket's deletion
// mark (nothing in it was deleted since).
type writeTx struct {
	readTx
	reads   map[string]int64 // etcd key → mod revision seen, 0 when absent
	ranges  [][2]string
	marks   map[string]bool // buckets scanned
	writes  map[string]*write
	order   []*write
	seqs    map[string]uint64 // bucket → last sequence handed out
	deletes map[string]bool   // buckets deleted from
	fences  []kv.Fence
}

// write is one buffered write; bucket is empty for a sequence.
type write struct {
	etcdKey string
	bucket  string
	key     []byte
	value   []byte
	deleted bool
}

func newWriteTx(r readTx) *writeTx {
	return &writeTx{readTx: r, reads: map[string]int64{}, marks: map[string]bool{},
		writes: map[string]*write{}, seqs: map[string]uint64{}, deletes: map[string]bool{}}
}

// trackedKV reads key at the pinned revision and remembers what it saw.
func (w *writeTx) trackedKV(key string) (*mvccpb.KeyValue, error) {
	e, err := w.getKV(key)
	if err != nil {
		return nil, err
	}
	if _, seen := w.reads[key]; !seen {
		w.reads[key] = 0
		if e != nil {
			w.reads[key] = e.ModRevision
		}
	}
	return e, nil
}

func (w *writeTx) Get(bucket string, key []byte) ([]byte, error) {
	if err := checkBucket(bucket); err != nil {
		return nil, err
	}
	k := w.b.dataKey(bucket, key)
	if wr, ok := w.writes[k]; ok {
		return wr.value, nil
	}
	e, err := w.trackedKV(k)
	if e == nil || err != nil {
		return nil, err
	}
	return value(e), nil
}

func (w *writeTx) Put(bucket string, key, val []byte) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	w.buffer(&write{etcdKey: w.b.dataKey(bucket, key), bucket: bucket, key: bytes.Clone(key), value: append([]byte{}, val...)})
	return nil
}

func (w *writeTx) Delete(bucket string, key []byte) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	w.buffer(&write{etcdKey: w.b.dataKey(bucket, key), bucket: bucket, key: bytes.Clone(key), deleted: true})
	w.deletes[bucket] = true
	return nil
}

func (w *writeTx) buffer(wr *write) {
	if prev, ok := w.writes[wr.etcdKey]; ok {
		*prev = *wr
		return
	}
	w.writes[wr.etcdKey] = wr
	w.order = append(w.order, wr)
}

func (w *writeTx) NextSequence(bucket string) (uint64, error) {
	if err := checkBucket(bucket); err != nil {
		return 0, err
	}
	n, ok := w.seqs[bucket]
	if !ok {
		e, err := w.trackedKV(w.b.seqKey(bucket))
		if err != nil {
			return 0, err
		}
		n = sequence(e)
	}
	return n + 1, w.SetSequence(bucket, n+1)
}

// Sequence answers from the transaction's own sequence writes first.
func (w *writeTx) Sequence(bucket string) (uint64, error) {
	if n, ok := w.seqs[bucket]; ok {
		return n, nil
	}
	if err := checkBucket(bucket); err != nil {
		return 0, err
	}
	e, err := w.trackedKV(w.b.seqKey(bucket))
	return sequence(e), err
}

func (w *writeTx) SetSequence(bucket string, n uint64) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	w.seqs[bucket] = n
	w.buffer(&write{etcdKey: w.b.seqKey(bucket), value: binary.BigEndian.AppendUint64(nil, n)})
	return nil
}

func (w *writeTx) Fence(f kv.Fence) { w.fences = append(w.fences, f) }

func (w *writeTx) Usage() kv.Usage {
	u := kv.Usage{Ops: len(w.order) + len(w.deletes), Reads: len(w.reads) + len(w.ranges) + len(w.marks) + len(w.fences)}
	for _, wr := range w.order {
		u.Bytes += len(wr.etcdKey) + len(wr.value)
	}
	for k := range w.reads {
		u.Bytes += len(k)
	}
	for _, r := range w.ranges {
		u.Bytes += len(r[0]) + len(r[1])
	}
	return u
}
