package bolt_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
)

// leafPages puts n keys with 100-byte values into bucket, chunk keys per
// transaction, in the order keyOf gives, and counts the bucket's leaf pages.
func leafPages(t *testing.T, b *bolt.Backend, bucket string, n, chunk int, keyOf func(i int) string) int {
	t.Helper()
	value := make([]byte, 100)
	for from := 0; from < n; from += chunk {
		_, err := b.Update(context.Background(), func(tx kv.Tx) error {
			for i := from; i < min(from+chunk, n); i++ {
				if err := tx.Put(bucket, []byte(keyOf(i)), value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pages := 0
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		pages = bolt.Raw(tx).Bucket([]byte(bucket)).Stats().LeafPageN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestOnlyKeysPutAboveTheBucketsLastFillTheirPages(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	const n = 20000                  // with 100-byte values
	const fullPages = n * 130 / 4096 // ~130 bytes a key on a 4 KiB page
	ascending := func(i int) string { return fmt.Sprintf("%08d", i) }
	perm := rand.Perm(n)
	for _, c := range []struct {
		name     string
		stored   string // a key put in the bucket before, if any
		keyOf    func(i int) string
		min, max int // leaf pages
	}{
		{"appended to an empty bucket", "", ascending, 0, fullPages * 11 / 10},
		{"appended above a stored key", "0", ascending, 0, fullPages * 11 / 10},
		// The chunks below the stored key, half of them, split half-full.
		{"appended around a stored key", ascending(n/2) + "x", ascending, fullPages * 13 / 10, fullPages * 17 / 10},
		{"appended below a stored key", "x", ascending, fullPages * 18 / 10, 2 * n},
		{"put in random order", "", func(i int) string { return ascending(perm[i]) }, fullPages * 5 / 4, 2 * n},
	} {
		if c.stored != "" {
			leafPages(t, b, c.name, 1, 1, func(int) string { return c.stored })
		}
		if pages := leafPages(t, b, c.name, n, 1000, c.keyOf); pages < c.min || pages > c.max {
			t.Errorf("%s: %d keys in chunks of 1000 take %d leaf pages, want %d to %d (%d full)", c.name, n, pages, c.min, c.max, fullPages)
		}
	}
}
