package etcd

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Update runs fn and commits its writes in one Txn that compares what fn
// read; when another commit changed it first, fn runs again.
func (b *Backend) Update(ctx context.Context, fn func(kv.Tx) error) (int64, error) {
	for attempt := 0; ; attempt++ {
		if b.base.Err() != nil {
			return 0, kv.ErrClosed
		}
		w := newWriteTx(readTx{b: b, ctx: ctx})
		err := fn(w)
		if errors.Is(err, rpctypes.ErrCompacted) {
			continue // the pinned revision is gone: read again
		}
		if err != nil {
			return 0, err
		}
		rev, ok, err := b.commit(ctx, w)
		if ok || err != nil {
			return rev, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return 0, err
		}
	}
}

// commit sends w as one Txn. ok is false when a comparison failed because
// of another commit (retry); a lost fence is kv.ErrFenced.
func (b *Backend) commit(ctx context.Context, w *writeTx) (rev int64, ok bool, err error) {
	if u := w.Usage(); !b.opts.Limits.Fits(u) {
		return 0, false, fmt.Errorf("%w: %d writes, %d comparisons, %d bytes; the limits are %d operations and %d bytes",
			kv.ErrTooLarge, u.Ops, u.Reads, u.Bytes, b.opts.Limits.Ops, b.opts.Limits.Bytes)
	}
	var fenceGets []clientv3.Op
	for _, f := range w.fences {
		fenceGets = append(fenceGets, clientv3.OpGet(f.Key))
	}
	resp, err := b.c.Txn(ctx).If(w.comparisons()...).Then(w.ops()...).Else(fenceGets...).Commit()
	if err != nil {
		return 0, false, b.closed(err)
	}
	if resp.Succeeded {
		return resp.Header.Revision, true, nil
	}
	for i, f := range w.fences {
		kvs := resp.Responses[i].GetResponseRange().Kvs
		if len(kvs) == 0 || kvs[0].CreateRevision != f.Rev {
			return 0, false, kv.ErrFenced
		}
	}
	return 0, false, nil
}

// comparisons: each key read is unchanged, each range scanned has no key
// modified after the read revision, no scanned bucket lost a key since,
// and every fence's election key is still its leader's.
func (w *writeTx) comparisons() []clientv3.Cmp {
	var cmps []clientv3.Cmp
	for k, mod := range w.reads {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", mod))
	}
	for _, r := range w.ranges {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(r[0]).WithRange(r[1]), "<", w.rev+1))
	}
	for bucket := range w.marks {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(w.b.markKey(bucket)), "<", w.rev+1))
	}
	for _, f := range w.fences {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(f.Key), "=", f.Rev))
	}
	return cmps
}

// ops are the buffered writes, and a new deletion mark for each bucket
// deleted from.
func (w *writeTx) ops() []clientv3.Op {
	ops := make([]clientv3.Op, 0, len(w.order)+len(w.deletes))
	for _, wr := range w.order {
		if wr.deleted {
			ops = append(ops, clientv3.OpDelete(wr.etcdKey))
		} else {
			ops = append(ops, clientv3.OpPut(wr.etcdKey, string(wr.value)))
		}
	}
	for bucket := range w.deletes {
		ops = append(ops, clientv3.OpPut(w.b.markKey(bucket), ""))
	}
	return ops
}

// backoff spreads out writers that keep colliding.
func backoff(ctx context.Context, attempt int) error {
	if attempt == 0 {
		return ctx.Err()
	}
	d := time.Duration(rand.Int64N(int64(min(attempt, 50)) * int64(time.Millisecond)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
