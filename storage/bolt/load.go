package bolt

import (
	"context"
	"errors"
	"slices"

	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// loadRelease is how many records a load's range reads between two drops
// of the file's pages from resident memory. The kernel maps the pages
// around each one read as well, and after bulk work a bucket's pages lie
// scattered over the file: a start after a rotation of a million keys
// peaked at 2.0 GB RSS (1.7 GB of it the file) until the load ended; with
// a drop every 8,192 records of a range, 0.46–0.53 GB, for 0.6 s more
// (2.0 s to ready instead of 1.35 s) re-reading pages from the page cache.
const loadRelease = 8192

// Load reads each range in its own read transaction, all begun between
// two commits so that they see one revision, and scans them concurrently,
// while the ranges' buckets are read ahead in file order (prefetch). The
// commits after the loaded revision are kept for the stream the caller
// opens there next (Changes), for as long as the load takes.
func (b *Backend) Load(ctx context.Context, ranges []kv.Range, fn func(i int, key, value []byte) error) (int64, error) {
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	txs, rev, err := b.beginAll(len(ranges) + 1) // the last one for prefetch
	if err != nil {
		return 0, b.mapClosed(err)
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	errs := make(chan error, len(ranges)+1)
	go func() {
		var buckets []string
		for _, rg := range ranges {
			if !slices.Contains(buckets, rg.Bucket) {
				buckets = append(buckets, rg.Bucket)
			}
		}
		prefetch(txs[len(ranges)], b.path, buckets)
		errs <- nil
	}()
	for i, rg := range ranges {
		go func() {
			r := &readTx{tx: txs[i], offset: b.offset}
			n := 0
			errs <- r.Scan(rg, false, func(k, v []byte) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				if n++; n%loadRelease == 0 {
					_ = dontNeed(b.db, txs[i].Size()) // the open transactions keep the map in place
				}
				return fn(i, k, v)
			})
		}()
	}
	var all []error
	for range len(ranges) + 1 {
		all = append(all, <-errs)
	}
	if err := errors.Join(all...); err != nil {
		b.history.unpin(rev)
		return 0, err
	}
	return rev, nil
}

// beginAll opens n read transactions (at least one) at one revision, and
// pins the history there before another commit can come.
func (b *Backend) beginAll(n int) ([]*bbolt.Tx, int64, error) {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	txs := make([]*bbolt.Tx, 0, max(n, 1))
	for range max(n, 1) {
		tx, err := b.db.Begin(false)
		if err != nil {
			for _, t := range txs {
				t.Rollback()
			}
			return nil, 0, err
		}
		txs = append(txs, tx)
	}
	rev, _ := (&readTx{tx: txs[0], offset: b.offset}).Revision()
	b.history.pin(rev)
	return txs, rev, nil
}
