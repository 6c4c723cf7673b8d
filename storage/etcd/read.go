package etcd

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// readTx reads at one revision: the first read's, pinned for the rest.
type readTx struct {
	b   *Backend
	ctx context.Context
	rev int64
}

func (r *readTx) withRev(opts ...clientv3.OpOption) []clientv3.OpOption {
	if r.rev != 0 {
		opts = append(opts, clientv3.WithRev(r.rev))
	}
	return opts
}

func (r *readTx) pin(resp *clientv3.GetResponse) {
	if r.rev == 0 {
		r.rev = resp.Header.Revision
	}
}

// Revision pins the transaction's revision if no read has yet.
func (r *readTx) Revision() (int64, error) {
	if r.rev == 0 {
		resp, err := r.b.c.Get(r.ctx, r.b.probeKey(), clientv3.WithCountOnly())
		if err != nil {
			return 0, r.b.closed(err)
		}
		r.pin(resp)
	}
	return r.rev, nil
}

// getKV reads one etcd key at the pinned revision; nil when absent.
func (r *readTx) getKV(key string) (*mvccpb.KeyValue, error) {
	resp, err := r.b.c.Get(r.ctx, key, r.withRev()...)
	if err != nil {
		return nil, r.b.closed(err)
	}
	r.pin(resp)
	if len(resp.Kvs) == 0 {
		return nil, nil
	}
	return resp.Kvs[0], nil
}

func (r *readTx) Get(bucket string, key []byte) ([]byte, error) {
	if err := checkBucket(bucket); err != nil {
		return nil, err
	}
	e, err := r.getKV(r.b.dataKey(bucket, key))
	if e == nil || err != nil {
		return nil, err
	}
	return value(e), nil
}

// value is a record's value; an empty one is empty, not missing.
func value(e *mvccpb.KeyValue) []byte {
	if e.Value == nil {
		return []byte{}
	}
	return e.Value
}

func (r *readTx) Sequence(bucket string) (uint64, error) {
	if err := checkBucket(bucket); err != nil {
		return 0, err
	}
	e, err := r.getKV(r.b.seqKey(bucket))
	return sequence(e), err
}

// sequence decodes a stored sequence; absent is 0.
func sequence(e *mvccpb.KeyValue) uint64 {
	if e == nil || len(e.Value) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(e.Value)
}

func (r *readTx) Scan(rg kv.Range, reverse bool, fn func(key, value []byte) error) error {
	if err := checkBucket(rg.Bucket); err != nil {
		return err
	}
	start, end := r.b.span(rg)
	skip := len(r.b.dataKey(rg.Bucket, nil))
	err := r.pages(start, end, reverse, func(e *mvccpb.KeyValue) error {
		return fn(e.Key[skip:], value(e))
	})
	if errors.Is(err, kv.ErrStop) {
		return nil
	}
	return err
}

// pages reads [start, end) one bounded Range at a time, continuing after
// the last key read: a Range counts to the end of its span, so pages by
// key keep a scan's cost proportional to what it reads.
func (r *readTx) pages(start, end string, reverse bool, fn func(e *mvccpb.KeyValue) error) error {
	return r.pagesOf(r.b.opts.PageSize, start, end, reverse, fn)
}

func (r *readTx) pagesOf(size int, start, end string, reverse bool, fn func(e *mvccpb.KeyValue) error) error {
	order := clientv3.SortAscend
	if reverse {
		order = clientv3.SortDescend
	}
	for start < end {
		resp, err := r.b.c.Get(r.ctx, start, r.withRev(clientv3.WithRange(end),
			clientv3.WithLimit(int64(size)), clientv3.WithSort(clientv3.SortByKey, order))...)
		if err != nil {
			return r.b.closed(err)
		}
		r.pin(resp)
		for _, e := range resp.Kvs {
			if err := fn(e); err != nil {
				return err
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			return nil
		}
		last := string(resp.Kvs[len(resp.Kvs)-1].Key)
		if reverse {
			end = last
		} else {
			start = last + "\x00"
		}
	}
	return nil
}

// View runs fn at one revision.
func (b *Backend) View(ctx context.Context, fn func(kv.ReadTx) error) error {
	if b.base.Err() != nil {
		return kv.ErrClosed
	}
	return fn(&readTx{b: b, ctx: ctx})
}
