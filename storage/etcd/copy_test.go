package etcd_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
)

func openBolt(t *testing.T) *bolt.Backend {
	t.Helper()
	b, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// dump lists a backend's buckets as "bucket key=value" lines and sequences.
func dump(t *testing.T, b kv.Backend, buckets []string) []string {
	t.Helper()
	var out []string
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		for _, bucket := range buckets {
			seq, err := tx.Sequence(bucket)
			if err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%s seq=%d", bucket, seq))
			err = tx.Scan(kv.Range{Bucket: bucket}, false, func(k, v []byte) error {
				out = append(out, fmt.Sprintf("%s %x=%x", bucket, k, v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bbolt → etcd → bbolt keeps every record and sequence, in chunks within
// etcd's limits, and refuses a target that is not empty.
func TestCopyBetweenBackends(t *testing.T) {
	ctx := context.Background()
	buckets := []string{"keys", "audit", "empty"}
	src := openBolt(t)
	_, err := src.Update(ctx, func(tx kv.Tx) error {
		for i := range 2500 {
			if err := tx.Put("keys", binary.BigEndian.AppendUint64(nil, uint64(i)*0x0101010101), make([]byte, i%700)); err != nil {
				return err
			}
		}
		for range 40 {
			seq, err := tx.NextSequence("audit")
			if err != nil {
				return err
			}
			if err := tx.Put("audit", binary.BigEndian.AppendUint64(nil, seq), []byte("entry")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mid := open(t, etcd.Options{Limits: kv.Limits{Ops: 128, Bytes: 16 << 10}}) // chunks must shrink to fit
	if n, err := kv.Copy(ctx, src, mid, buckets); err != nil || n != 2540 {
		t.Fatalf("copy to etcd: %d, %v", n, err)
	}
	back := openBolt(t)
	if _, err := kv.Copy(ctx, mid, back, buckets); err != nil {
		t.Fatalf("copy back: %v", err)
	}
	if a, b := dump(t, src, buckets), dump(t, back, buckets); !slices.Equal(a, b) {
		t.Fatalf("the round trip changed the data: %d lines before, %d after", len(a), len(b))
	}
	if _, err := kv.Copy(ctx, src, mid, buckets); err == nil {
		t.Fatal("copy into a target that holds the buckets was accepted")
	}
}
