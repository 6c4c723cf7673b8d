package etcd

import (
	"errors"
	"sort"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

// Scan merges the stored records of the range with the transaction's own
// writes, and records the range and the bucket's mark for the commit.
func (w *writeTx) Scan(rg kv.Range, reverse bool, fn func(key, value []byte) error) error {
	if err := checkBucket(rg.Bucket); err != nil {
		return err
	}
	start, end := w.b.span(rg)
	w.ranges = append(w.ranges, [2]string{start, end})
	w.marks[rg.Bucket] = true
	mine := w.buffered(start, end, reverse)
	before := func(a, b string) bool { return a != b && (a < b) != reverse }
	emit := func(wr *write) error {
		if wr.deleted {
			return nil
		}
		return fn(wr.key, wr.value)
	}
	skip := len(w.b.dataKey(rg.Bucket, nil))
	err := w.pages(start, end, reverse, func(e *mvccpb.KeyValue) error {
		k := string(e.Key)
		for len(mine) > 0 && before(mine[0].etcdKey, k) {
			if err := emit(mine[0]); err != nil {
				return err
			}
			mine = mine[1:]
		}
		if len(mine) > 0 && mine[0].etcdKey == k {
			wr := mine[0]
			mine = mine[1:]
			return emit(wr)
		}
		return fn(e.Key[skip:], value(e))
	})
	for ; err == nil && len(mine) > 0; mine = mine[1:] {
		err = emit(mine[0])
	}
	if errors.Is(err, kv.ErrStop) {
		return nil
	}
	return err
}

// buffered lists the buffered record writes within [start, end) in scan order.
func (w *writeTx) buffered(start, end string, reverse bool) []*write {
	var out []*write
	for _, wr := range w.order {
		if wr.bucket != "" && wr.etcdKey >= start && wr.etcdKey < end {
			out = append(out, wr)
		}
	}
	sort.Slice(out, func(i, j int) bool { return (out[i].etcdKey < out[j].etcdKey) != reverse })
	return out
}
