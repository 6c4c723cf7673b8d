package kvtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// revision reads the backend's current revision.
func revision(t *testing.T, b kv.Backend) int64 {
	t.Helper()
	var rev int64
	err := b.View(context.Background(), func(tx kv.ReadTx) (err error) {
		rev, err = tx.Revision()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func stream(t *testing.T, b kv.Backend, after int64) kv.Stream {
	t.Helper()
	s, err := b.Changes(context.Background(), after)
	if err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func next(t *testing.T, s kv.Stream) kv.Commit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return c
}

func describe(c kv.Commit) []string {
	var out []string
	for _, ch := range c.Changes {
		if ch.Deleted {
			out = append(out, fmt.Sprintf("-%s/%s", ch.Bucket, ch.Key))
		} else {
			out = append(out, fmt.Sprintf("+%s/%s=%s", ch.Bucket, ch.Key, ch.Value))
		}
	}
	return out
}

func testChangesInOrder(t *testing.T, b kv.Backend) {
	s := stream(t, b, revision(t, b))
	r1 := put(t, b, "keys", "k1", "a", "k2", "b", "k3", "c")
	r2, err := b.Update(context.Background(), func(tx kv.Tx) error {
		for _, err := range []error{
			tx.Put("keys", []byte("k1"), []byte("x")),
			tx.Put("keys", []byte("k1"), []byte("final")),
			tx.Delete("keys", []byte("k2")),
			tx.Put("keys", []byte("k3"), []byte("y")),
			tx.Delete("keys", []byte("k3")),
			tx.Put("keys", []byte("tmp"), []byte("t")),
			tx.Delete("keys", []byte("tmp")),
			tx.Delete("keys", []byte("never-was")),
			tx.Put("hash", []byte("h"), []byte("k1")),
		} {
			if err != nil {
				return err
			}
		}
		_, err := tx.NextSequence("audit")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c1, c2 := next(t, s), next(t, s)
	if c1.Revision != r1 || c2.Revision != r2 {
		t.Fatalf("revisions %d, %d; want the commits' %d, %d", c1.Revision, c2.Revision, r1, r2)
	}
	if got, want := describe(c1), []string{"+keys/k1=a", "+keys/k2=b", "+keys/k3=c"}; !slices.Equal(got, want) {
		t.Errorf("first commit %v, want %v", got, want)
	}
	// Each key once, with its final state; a key created and deleted in the
	// same commit, or deleted without existing, is not a change; a stored
	// key written, then deleted, is.
	if got, want := describe(c2), []string{"+keys/k1=final", "-keys/k2", "-keys/k3", "+hash/h=k1"}; !slices.Equal(got, want) {
		t.Errorf("second commit %v, want %v", got, want)
	}
	if rev, at := s.Heard(); rev < r2 || time.Since(at) > time.Minute {
		t.Errorf("Heard = %d at %s after receiving revision %d", rev, at, r2)
	}
}

func testChangesFromRevision(t *testing.T, b kv.Backend) {
	put(t, b, "k", "a", "1")
	loaded := revision(t, b)
	r2 := put(t, b, "k", "b", "2")
	s := stream(t, b, loaded) // opened after the commit it must still see
	if c := next(t, s); c.Revision != r2 || !slices.Equal(describe(c), []string{"+k/b=2"}) {
		t.Fatalf("first commit after the loaded revision: %d %v", c.Revision, describe(c))
	}
	r3 := put(t, b, "k", "c", "3")
	if c := next(t, s); c.Revision != r3 {
		t.Fatalf("then revision %d, want %d", c.Revision, r3)
	}
	late := stream(t, b, r3)
	r4 := put(t, b, "k", "d", "4")
	if c := next(t, late); c.Revision != r4 {
		t.Fatalf("a stream from the latest revision starts with %d, want %d", c.Revision, r4)
	}
}
