package kvtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

func randomID() []byte {
	b := make([]byte, 12)
	rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return b
}

// ShardRanges splits a bucket of [0-9a-z] ids into n disjoint ranges.
func ShardRanges(bucket string, n int) []kv.Range {
	var out []kv.Range
	var from []byte
	for i := 1; i < n; i++ {
		to := []byte{idAlphabet[i*len(idAlphabet)/n]}
		out = append(out, kv.Range{Bucket: bucket, From: from, To: to})
		from = to
	}
	return append(out, kv.Range{Bucket: bucket, From: from})
}

// BenchmarkRotation times a transaction shaped like a rotation: read the
// old key, write seven records (new key, hash index, old key, two expiry
// index entries, audit, outbox) and take two sequence numbers.
func BenchmarkRotation(b *testing.B, open Open) {
	be := open(b)
	ctx := context.Background()
	old := []byte("oldkey000000")
	if _, err := be.Update(ctx, func(tx kv.Tx) error { return tx.Put("keys", old, make([]byte, 400)) }); err != nil {
		b.Fatal(err)
	}
	rec := make([]byte, 400)
	b.ResetTimer()
	for b.Loop() {
		_, err := be.Update(ctx, func(tx kv.Tx) error {
			if _, err := tx.Get("keys", old); err != nil {
				return err
			}
			id := randomID()
			a, err := tx.NextSequence("audit")
			if err != nil {
				return err
			}
			o, err := tx.NextSequence("outbox")
			if err != nil {
				return err
			}
			for _, w := range []struct {
				bucket string
				key    []byte
				size   int
			}{{"keys", id, 400}, {"hash", randomID(), 12}, {"keys", old, 400}, {"expiry", randomID(), 0},
				{"expiring", id, 8}, {"audit", fmt.Appendf(nil, "%016x", a), 200}, {"outbox", fmt.Appendf(nil, "%016x", o), 300}} {
				if err := tx.Put(w.bucket, w.key, rec[:w.size]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChangeDelivery times a commit and its arrival on a stream; the
// metric deliver-ns/op is the part after Update returned.
func BenchmarkChangeDelivery(b *testing.B, open Open) {
	be := open(b)
	ctx := context.Background()
	var rev int64
	err := be.View(ctx, func(tx kv.ReadTx) (err error) { rev, err = tx.Revision(); return err })
	if err != nil {
		b.Fatal(err)
	}
	s, err := be.Changes(ctx, rev)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var after time.Duration
	b.ResetTimer()
	for b.Loop() {
		rev, err := be.Update(ctx, func(tx kv.Tx) error { return tx.Put("keys", []byte("k"), []byte("v")) })
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		c, err := s.Next(ctx)
		if err != nil || c.Revision != rev {
			b.Fatalf("Next = %d, %v; want revision %d", c.Revision, err, rev)
		}
		after += time.Since(t0)
	}
	b.ReportMetric(float64(after.Nanoseconds())/float64(b.N), "deliver-ns/op")
}

// BenchmarkLoad times reading n records of 400 bytes as 16 ranges at one
// revision.
func BenchmarkLoad(b *testing.B, open Open, n int) {
	be := open(b)
	ctx := context.Background()
	chunk := 100 // within etcd's 128 operations
	val := make([]byte, 400)
	for done := 0; done < n; done += chunk {
		_, err := be.Update(ctx, func(tx kv.Tx) error {
			for range min(chunk, n-done) {
				if err := tx.Put("keys", randomID(), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	ranges := ShardRanges("keys", 16)
	b.ResetTimer()
	for b.Loop() {
		var count atomic.Int64
		if _, err := be.Load(ctx, ranges, func(int, []byte, []byte) error { count.Add(1); return nil }); err != nil {
			b.Fatal(err)
		}
		if count.Load() < int64(n)*99/100 { // random ids may collide
			b.Fatalf("loaded %d of %d", count.Load(), n)
		}
	}
	b.ReportMetric(float64(n), "keys")
}
