package etcd_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
)

func putOne(t *testing.T, b kv.Backend, key string) int64 {
	t.Helper()
	rev, err := b.Update(context.Background(), func(tx kv.Tx) error { return tx.Put("b", []byte(key), nil) })
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestChangesAfterCompactionSayReload(t *testing.T) {
	b := open(t, etcd.Options{})
	r1 := putOne(t, b, "a")
	r2 := putOne(t, b, "b")
	if _, err := b.Client().Compact(context.Background(), r2); err != nil {
		t.Fatal(err)
	}
	s, err := b.Changes(context.Background(), r1-1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.Next(ctx); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("Next from a compacted revision = %v, want ErrCompacted", err)
	}
}

// A quiet stream stays current: progress notices move Heard on.
func TestHeardMovesOnWithoutWrites(t *testing.T) {
	b := open(t, etcd.Options{ProgressInterval: 20 * time.Millisecond})
	rev := putOne(t, b, "a")
	s, err := b.Changes(context.Background(), rev)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := putOne(t, open(t, etcd.Options{}), "elsewhere") // another prefix: no event here
	start := time.Now()
	deadline := time.Now().Add(10 * time.Second)
	for {
		heardRev, at := s.Heard()
		if heardRev >= other && at.After(start) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Heard = %d at %s; want revision %d heard after %s", heardRev, at, other, start)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
