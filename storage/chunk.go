package storage

import "github.com/keyrack/keyrack/storage/kv"

// chunked applies items 0…n-1 in as few write transactions as the
// backend's limits allow (etcd: 128 operations, 1.5 MiB), each atomic.
// apply must act only through w (a transaction may be retried).
func (s *Store) chunked(n int, apply func(w *wtx, i int) error) error {
	for start := 0; start < n; {
		done := 0
		err := s.update(func(w *wtx) (err error) {
			done, err = w.fill(start, n, kv.Usage{}, nil, apply)
			return err
		})
		if err != nil {
			return err
		}
		start += done
	}
	return nil
}

// fill applies items from start on, before n, while one more, costing as
// much as the costliest so far, still fits the backend's limits with
// reserve left for what the caller adds after, and until full (if set)
// says the transaction has done enough; the first is always taken. It
// returns how many it applied.
func (w *wtx) fill(start, n int, reserve kv.Usage, full func() bool, apply func(w *wtx, i int) error) (int, error) {
	limits := w.s.kv.Limits()
	var per kv.Usage
	for i := start; i < n; i++ {
		before := w.tx.Usage()
		if i > start && (!limits.Fits(plus(before, per, reserve)) || full != nil && full()) {
			return i - start, nil
		}
		if err := apply(w, i); err != nil {
			return 0, err
		}
		per = widest(per, minus(w.tx.Usage(), before))
	}
	return n - start, nil
}

func plus(us ...kv.Usage) kv.Usage {
	var sum kv.Usage
	for _, u := range us {
		sum.Ops, sum.Reads, sum.Bytes = sum.Ops+u.Ops, sum.Reads+u.Reads, sum.Bytes+u.Bytes
	}
	return sum
}

func minus(a, b kv.Usage) kv.Usage {
	return kv.Usage{Ops: a.Ops - b.Ops, Reads: a.Reads - b.Reads, Bytes: a.Bytes - b.Bytes}
}

func widest(a, b kv.Usage) kv.Usage {
	return kv.Usage{Ops: max(a.Ops, b.Ops), Reads: max(a.Reads, b.Reads), Bytes: max(a.Bytes, b.Bytes)}
}
