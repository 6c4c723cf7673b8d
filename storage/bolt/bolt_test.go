package bolt_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
)

var _ kv.Backend = (*bolt.Backend)(nil)

func openTemp(t testing.TB, opts bolt.Options) *bolt.Backend {
	t.Helper()
	b, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t testing.TB) kv.Backend { return openTemp(t, bolt.Options{}) })
}

// A stream that falls further behind than the kept history must reload,
// as an etcd watch behind a compaction must.
func TestStreamBehindTheHistoryMustReload(t *testing.T) {
	b := openTemp(t, bolt.Options{History: 2})
	ctx := context.Background()
	var start int64
	if err := b.View(ctx, func(tx kv.ReadTx) (err error) { start, err = tx.Revision(); return err }); err != nil {
		t.Fatal(err)
	}
	s, err := b.Changes(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 3 {
		if _, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Put("b", []byte{byte(i)}, nil) }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Next(ctx); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("Next three commits behind a history of two = %v, want ErrCompacted", err)
	}
	if _, err := b.Changes(ctx, start); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("Changes from a forgotten revision = %v, want ErrCompacted", err)
	}
}
