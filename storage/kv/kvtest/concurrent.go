package kvtest

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func testViewOneRevision(t *testing.T, b kv.Backend) {
	before := put(t, b, "v", "a", "1", "b", "1")
	var after int64
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		if v, err := tx.Get("v", []byte("a")); err != nil || string(v) != "1" {
			return fmt.Errorf("first read: %q %v", v, err)
		}
		after = put(t, b, "v", "a", "2", "b", "2")
		for _, k := range []string{"a", "b"} {
			if v, err := tx.Get("v", []byte(k)); err != nil || string(v) != "1" {
				return fmt.Errorf("%s read after a later commit = %q, %v; want 1", k, v, err)
			}
		}
		if got := keys(t, tx, kv.Range{Bucket: "v"}, false); fmt.Sprint(got) != "[a=1 b=1]" {
			return fmt.Errorf("scan after a later commit = %v", got)
		}
		rev, err := tx.Revision()
		if err != nil || rev != before {
			return fmt.Errorf("Revision = %d, %v; want the last commit's %d", rev, err, before)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Fatalf("revisions must grow: %d then %d", before, after)
	}
}

// testConcurrentCounter: read-modify-write from several goroutines loses
// no increment.
func testConcurrentCounter(t *testing.T, b kv.Backend) {
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := b.Update(context.Background(), func(tx kv.Tx) error {
					v, err := tx.Get("c", []byte("n"))
					if err != nil {
						return err
					}
					var n uint64
					if v != nil {
						n = binary.BigEndian.Uint64(v)
					}
					return tx.Put("c", []byte("n"), binary.BigEndian.AppendUint64(nil, n+1))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := binary.BigEndian.Uint64(get(t, b, "c", "n")); n != workers*each {
		t.Fatalf("counter = %d, want %d", n, workers*each)
	}
}

// testScanThenDelete: each writer deletes one key only if another remains
// (keyrack's "at least one active key"); however they interleave, one key
// is left.
func testScanThenDelete(t *testing.T, b kv.Backend) {
	for round := range 5 {
		bucket := fmt.Sprintf("active%d", round)
		put(t, b, bucket, "k1", "", "k2", "", "k3", "")
		var wg sync.WaitGroup
		for _, victim := range []string{"k1", "k2", "k3"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := b.Update(context.Background(), func(tx kv.Tx) error {
					others := 0
					err := tx.Scan(kv.Range{Bucket: bucket}, false, func(k, _ []byte) error {
						if string(k) != victim {
							others++
						}
						return nil
					})
					if err != nil || others == 0 {
						return err
					}
					return tx.Delete(bucket, []byte(victim))
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if left := scanAll(t, b, kv.Range{Bucket: bucket}, false); len(left) != 1 {
			t.Fatalf("round %d: %v left, want exactly one key", round, left)
		}
	}
}
