package kvtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func testTooLarge(t *testing.T, b kv.Backend) {
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		if err := tx.Put("u", []byte("ab"), []byte("cde")); err != nil {
			return err
		}
		if err := tx.Put("u", []byte("ab"), []byte("cdef")); err != nil {
			return err
		}
		if u := tx.Usage(); u.Ops != 1 || u.Bytes < 6 {
			t.Errorf("Usage after writing one key twice = %+v, want 1 op and at least 6 bytes", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lim := b.Limits()
	if lim.Ops == 0 {
		return // nothing to exceed
	}
	_, err = b.Update(context.Background(), func(tx kv.Tx) error {
		for i := range lim.Ops + 1 {
			if err := tx.Put("big", []byte(fmt.Sprint(i)), nil); err != nil {
				return err
			}
		}
		if lim.Fits(tx.Usage()) {
			t.Errorf("Usage %+v fits %+v with one op too many", tx.Usage(), lim)
		}
		return nil
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("%d writes with a limit of %d: %v, want ErrTooLarge", lim.Ops+1, lim.Ops, err)
	}
	if got := scanAll(t, b, kv.Range{Bucket: "big"}, false); len(got) != 0 {
		t.Fatalf("a refused transaction stored %d keys", len(got))
	}
}

func testClosed(t *testing.T, b kv.Backend) {
	put(t, b, "c", "k", "v")
	s := stream(t, b, revision(t, b))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Update(context.Background(), func(tx kv.Tx) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("Next after Close = %v, want ErrClosed", err)
	}
}
