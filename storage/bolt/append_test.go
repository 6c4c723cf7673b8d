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

func TestKeysOnlyAppendedFillTheirPages(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	const n = 20000 // 20,000 × ~130 bytes: ~640 full pages of 4 KiB
	perm := rand.Perm(n)
	appended := leafPages(t, b, "appended", n, 1000, func(i int) string { return fmt.Sprintf("%08d", i) })
	random := leafPages(t, b, "random", n, 1000, func(i int) string { return fmt.Sprintf("%08d", perm[i]) })
	if appended > 700 {
		t.Errorf("%d keys appended take %d leaf pages, want ≤ 700 (full pages)", n, appended)
	}
	if random < appended*5/4 {
		t.Errorf("the same keys in random order take %d leaf pages, appended %d: want bbolt's usual half-filled splits for them", random, appended)
	}
}
