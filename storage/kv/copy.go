package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// copyPage is how many records Copy reads per read transaction.
const copyPage = 1000

// Copy copies buckets (records and sequences) from one backend to another
// that holds none of them, in transactions that fit the target's limits,
// and checks the counts at the end. It returns how many records it copied.
// Stop the writers of from first: each page is read at its own revision.
func Copy(ctx context.Context, from, to Backend, buckets []string) (int, error) {
	for _, bucket := range buckets {
		if n, err := count(ctx, to, bucket, 1); err != nil || n > 0 {
			return 0, errors.Join(err, fmt.Errorf("copy: the target already holds bucket %s", bucket))
		}
	}
	total := 0
	for _, bucket := range buckets {
		n, err := copyBucket(ctx, from, to, bucket)
		total += n
		if err != nil {
			return total, fmt.Errorf("copy %s: %w", bucket, err)
		}
		want, err := count(ctx, from, bucket, 0)
		if err != nil {
			return total, err
		}
		if got, err := count(ctx, to, bucket, 0); err != nil || got != want {
			return total, errors.Join(err, fmt.Errorf("copy %s: %d records in the target, %d in the source", bucket, got, want))
		}
	}
	return total, nil
}

type record struct{ key, value []byte }

func copyBucket(ctx context.Context, from, to Backend, bucket string) (int, error) {
	var after []byte
	copied := 0
	for {
		var page []record
		var seq uint64
		err := from.View(ctx, func(tx ReadTx) error {
			page = page[:0]
			var err error
			if seq, err = tx.Sequence(bucket); err != nil {
				return err
			}
			r := Range{Bucket: bucket, From: after}
			return tx.Scan(r, false, func(k, v []byte) error {
				if after != nil && bytes.Equal(k, after) {
					return nil
				}
				page = append(page, record{bytes.Clone(k), bytes.Clone(v)})
				if len(page) == copyPage {
					return ErrStop
				}
				return nil
			})
		})
		if err != nil {
			return copied, err
		}
		if err := write(ctx, to, bucket, page, seq); err != nil {
			return copied, err
		}
		copied += len(page)
		if len(page) < copyPage {
			return copied, nil
		}
		after = page[len(page)-1].key
	}
}

// write stores records in as few transactions as the limits allow,
// halving a chunk the backend refuses as too large; the last one also
// sets the sequence.
func write(ctx context.Context, to Backend, bucket string, recs []record, seq uint64) error {
	n := len(recs)
	if ops := to.Limits().Ops; ops > 0 {
		n = min(n, ops-1)
	}
	for len(recs) > 0 || seq > 0 {
		chunk := recs[:min(n, len(recs))]
		last := len(chunk) == len(recs)
		_, err := to.Update(ctx, func(tx Tx) error {
			for _, r := range chunk {
				if err := tx.Put(bucket, r.key, r.value); err != nil {
					return err
				}
			}
			if last && seq > 0 {
				return tx.SetSequence(bucket, seq)
			}
			return nil
		})
		if errors.Is(err, ErrTooLarge) && n > 1 {
			n /= 2
			continue
		}
		if err != nil {
			return err
		}
		recs = recs[len(chunk):]
		if last {
			return nil
		}
	}
	return nil
}

// count counts a bucket's records, stopping at limit when limit > 0.
func count(ctx context.Context, b Backend, bucket string, limit int) (int, error) {
	n := 0
	err := b.View(ctx, func(tx ReadTx) error {
		n = 0
		return tx.Scan(Range{Bucket: bucket}, false, func(_, _ []byte) error {
			n++
			if limit > 0 && n >= limit {
				return ErrStop
			}
			return nil
		})
	})
	return n, err
}
