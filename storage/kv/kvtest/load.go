package kvtest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func testLoad(t *testing.T, b kv.Backend) {
	const n, chunk = 300, 100 // chunks within etcd's 128 operations
	for from := 0; from < n; from += chunk {
		_, err := b.Update(context.Background(), func(tx kv.Tx) error {
			for i := from; i < from+chunk; i++ {
				if err := tx.Put("keys", []byte(fmt.Sprintf("%c%03d", "abcdefghijklmnopqrstuvwxyz0123456789"[i%36], i)), []byte{byte(i)}); err != nil {
					return err
				}
			}
			return tx.Put("other", []byte("a000"), nil)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want := revision(t, b)
	var ranges []kv.Range
	var prev []byte
	for _, split := range []string{"5", "a", "f", "k", "p", "u"} {
		ranges = append(ranges, kv.Range{Bucket: "keys", From: prev, To: []byte(split)})
		prev = []byte(split)
	}
	ranges = append(ranges, kv.Range{Bucket: "keys", From: prev})
	var mu sync.Mutex
	seen := map[string]int{}
	last := make([]string, len(ranges))
	rev, err := b.Load(context.Background(), ranges, func(i int, k, _ []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if string(k) <= last[i] {
			return fmt.Errorf("range %d: %q after %q", i, k, last[i])
		}
		last[i] = string(k)
		r := ranges[i]
		if (r.From != nil && string(k) < string(r.From)) || (r.To != nil && string(k) >= string(r.To)) {
			return fmt.Errorf("%q delivered for range %d", k, i)
		}
		seen[string(k)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rev != want {
		t.Errorf("Load revision %d, want %d", rev, want)
	}
	if len(seen) != n {
		t.Errorf("loaded %d keys, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("%s delivered %d times", k, c)
		}
	}
	// What is committed after the load reaches a stream from its revision.
	s := stream(t, b, rev)
	r := put(t, b, "keys", "new", "x")
	if c := next(t, s); c.Revision != r {
		t.Errorf("after the load: revision %d, want %d", c.Revision, r)
	}
}
