package bolt_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// A compacted copy swapped in keeps the data, and revisions go on from
// the old file's (a fresh bbolt file restarts its transaction ids), so a
// stream opened before the swap sees the commits after it, in order.
func TestSwapKeepsRevisionsGoingUp(t *testing.T) {
	ctx := context.Background()
	b := openTemp(t, bolt.Options{})
	put := func(k string) int64 {
		t.Helper()
		rev, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Put("b", []byte(k), []byte("v"+k)) })
		if err != nil {
			t.Fatal(err)
		}
		return rev
	}
	for _, k := range []string{"a", "b", "c", "d"} {
		put(k)
	}
	before := put("e")
	s, err := b.Changes(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	dst, err := bbolt.Open(filepath.Join(t.TempDir(), "compact.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bbolt.Compact(dst, b.DB(), 0); err != nil {
		t.Fatal(err)
	}
	previous, err := b.Swap(dst)
	if err != nil {
		t.Fatal(err)
	}
	previous.Close()
	if b.DB() != dst {
		t.Fatal("DB() is not the swapped-in file")
	}

	after := put("f")
	if after <= before {
		t.Fatalf("revision after the swap %d, want > %d", after, before)
	}
	c, err := s.Next(ctx)
	if err != nil || c.Revision != after || string(c.Changes[0].Key) != "f" {
		t.Fatalf("stream after the swap: %+v, %v; want the commit of f at %d", c, err, after)
	}
	err = b.View(ctx, func(tx kv.ReadTx) error {
		rev, _ := tx.Revision()
		v, _ := tx.Get("b", []byte("a"))
		if rev != after || string(v) != "va" {
			t.Errorf("read after the swap: revision %d value %q, want %d %q", rev, v, after, "va")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Raw reaches the bbolt transaction under this backend's transactions.
func TestRawReachesTheBboltTransaction(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		if err := tx.Put("b", []byte("k"), []byte("v")); err != nil {
			return err
		}
		if got := bolt.Raw(tx).Bucket([]byte("b")).Get([]byte("k")); string(got) != "v" {
			t.Errorf("raw read %q, want v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
