package etcd

import (
	"context"
	"errors"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

// Load pins the current revision, then reads every range at it
// concurrently, each in pages by key.
func (b *Backend) Load(ctx context.Context, ranges []kv.Range, fn func(i int, key, value []byte) error) (int64, error) {
	if b.base.Err() != nil {
		return 0, kv.ErrClosed
	}
	pin := &readTx{b: b, ctx: ctx}
	rev, err := pin.Revision()
	if err != nil {
		return 0, err
	}
	errs := make(chan error, len(ranges))
	for i, rg := range ranges {
		go func() {
			if err := checkBucket(rg.Bucket); err != nil {
				errs <- err
				return
			}
			r := &readTx{b: b, ctx: ctx, rev: rev}
			start, end := b.span(rg)
			skip := len(b.dataKey(rg.Bucket, nil))
			errs <- r.pagesOf(b.opts.LoadPageSize, start, end, false, func(e *mvccpb.KeyValue) error {
				return fn(i, e.Key[skip:], value(e))
			})
		}()
	}
	var all []error
	for range ranges {
		all = append(all, <-errs)
	}
	return rev, errors.Join(all...)
}
