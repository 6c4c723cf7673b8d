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

// The history is bounded by bytes too: a stream further behind than
// HistoryBytes of changes must reload, even within History commits.
func TestHistoryIsBoundedByBytes(t *testing.T) {
	b := openTemp(t, bolt.Options{HistoryBytes: 3000})
	ctx := context.Background()
	var start int64
	if err := b.View(ctx, func(tx kv.ReadTx) (err error) { start, err = tx.Revision(); return err }); err != nil {
		t.Fatal(err)
	}
	var revs []int64
	for i := range 4 {
		rev, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Put("b", []byte{byte(i)}, make([]byte, 1000)) })
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, rev)
	}
	if _, err := b.Changes(ctx, start); !errors.Is(err, kv.ErrCompacted) {
		t.Fatalf("Changes 4 KB behind a history of 3 KB = %v, want ErrCompacted", err)
	}
	s, err := b.Changes(ctx, revs[1])
	if err != nil {
		t.Fatalf("Changes 2 KB behind a history of 3 KB: %v", err)
	}
	defer s.Close()
	for _, want := range revs[2:] {
		if c, err := s.Next(ctx); err != nil || c.Revision != want {
			t.Fatalf("Next = revision %d, %v; want %d", c.Revision, err, want)
		}
	}
}

// A commit that changed nothing still comes through a stream, so that a
// writer waiting for its own revision there is not kept waiting.
func TestEmptyCommitsComeThroughTheStream(t *testing.T) {
	b := openTemp(t, bolt.Options{})
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
	rev, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Delete("b", []byte("never written")) })
	if err != nil {
		t.Fatal(err)
	}
	if c, err := s.Next(ctx); err != nil || c.Revision != rev || len(c.Changes) != 0 {
		t.Fatalf("Next = %+v, %v; want revision %d with no changes", c, err, rev)
	}
}
