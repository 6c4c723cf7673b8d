package kvtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func testGetPutDelete(t *testing.T, b kv.Backend) {
	put(t, b, "a", "k", "1", "empty", "")
	put(t, b, "b", "k", "2")
	if v := get(t, b, "a", "k"); string(v) != "1" {
		t.Fatalf("a/k = %q, want 1", v)
	}
	if v := get(t, b, "b", "k"); string(v) != "2" {
		t.Fatalf("b/k = %q, want 2: buckets must not share keys", v)
	}
	if v := get(t, b, "a", "empty"); v == nil || len(v) != 0 {
		t.Fatalf("an empty value must read as empty, not missing: %v", v)
	}
	if v := get(t, b, "a", "missing"); v != nil {
		t.Fatalf("missing key = %q, want nil", v)
	}
	if v := get(t, b, "nobucket", "k"); v != nil {
		t.Fatalf("key of an unused bucket = %q, want nil", v)
	}
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		if err := tx.Delete("a", []byte("k")); err != nil {
			return err
		}
		if err := tx.Delete("a", []byte("never-was")); err != nil {
			return err
		}
		return tx.Delete("nobucket", []byte("k"))
	})
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if v := get(t, b, "a", "k"); v != nil {
		t.Fatalf("deleted key = %q, want nil", v)
	}
}

func testReadYourWrites(t *testing.T, b kv.Backend) {
	put(t, b, "r", "a", "old", "c", "old", "e", "old")
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		for _, err := range []error{
			tx.Put("r", []byte("b"), []byte("new")),
			tx.Put("r", []byte("c"), []byte("new")),
			tx.Delete("r", []byte("e")),
			tx.Put("r", []byte("f"), []byte("new")),
			tx.Put("r", []byte("g"), []byte("gone")),
			tx.Delete("r", []byte("g")),
		} {
			if err != nil {
				return err
			}
		}
		if v, err := tx.Get("r", []byte("c")); err != nil || string(v) != "new" {
			t.Errorf("Get after Put in one tx = %q, %v; want new", v, err)
		}
		if v, err := tx.Get("r", []byte("e")); err != nil || v != nil {
			t.Errorf("Get after Delete in one tx = %q, %v; want nil", v, err)
		}
		want := []string{"a=old", "b=new", "c=new", "f=new"}
		if got := keys(t, tx, kv.Range{Bucket: "r"}, false); !slices.Equal(got, want) {
			t.Errorf("scan in the writing tx = %v, want %v", got, want)
		}
		slices.Reverse(want)
		if got := keys(t, tx, kv.Range{Bucket: "r"}, true); !slices.Equal(got, want) {
			t.Errorf("reverse scan in the writing tx = %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a=old", "b=new", "c=new", "f=new"}
	if got := scanAll(t, b, kv.Range{Bucket: "r"}, false); !slices.Equal(got, want) {
		t.Fatalf("after commit = %v, want %v", got, want)
	}
}

func testFailedUpdate(t *testing.T, b kv.Backend) {
	put(t, b, "f", "k", "kept")
	boom := errors.New("boom")
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		if err := tx.Put("f", []byte("k"), []byte("changed")); err != nil {
			return err
		}
		if err := tx.Put("f", []byte("new"), []byte("x")); err != nil {
			return err
		}
		if _, err := tx.NextSequence("f"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if got := scanAll(t, b, kv.Range{Bucket: "f"}, false); !slices.Equal(got, []string{"k=kept"}) {
		t.Fatalf("after a failed update = %v, want only k=kept", got)
	}
	var seq uint64
	_, err = b.Update(context.Background(), func(tx kv.Tx) (err error) {
		seq, err = tx.NextSequence("f")
		return err
	})
	if err != nil || seq != 1 {
		t.Fatalf("sequence after a failed update = %d, %v; want 1", seq, err)
	}
}

func testSequences(t *testing.T, b kv.Backend) {
	var got []uint64
	for range 3 {
		_, err := b.Update(context.Background(), func(tx kv.Tx) error {
			a1, err := tx.NextSequence("audit")
			if err != nil {
				return err
			}
			a2, err := tx.NextSequence("audit")
			if err != nil {
				return err
			}
			o, err := tx.NextSequence("outbox")
			got = append(got, a1, a2, o)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []uint64{1, 2, 1, 3, 4, 2, 5, 6, 3}
	if !slices.Equal(got, want) {
		t.Fatalf("sequences = %v, want %v", got, want)
	}
	var seen, next uint64
	_, err := b.Update(context.Background(), func(tx kv.Tx) (err error) {
		if err := tx.SetSequence("audit", 100); err != nil {
			return err
		}
		if seen, err = tx.Sequence("audit"); err != nil {
			return err
		}
		next, err = tx.NextSequence("audit")
		return err
	})
	if err != nil || seen != 100 || next != 101 {
		t.Fatalf("after SetSequence(100): Sequence %d, NextSequence %d, %v; want 100, 101", seen, next, err)
	}
	err = b.View(context.Background(), func(tx kv.ReadTx) error {
		a, err := tx.Sequence("audit")
		if err != nil || a != 101 {
			t.Errorf("committed audit sequence %d, %v; want 101", a, err)
		}
		if u, err := tx.Sequence("unused"); err != nil || u != 0 {
			t.Errorf("unused bucket's sequence %d, %v; want 0", u, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testBuffersReused writes keys and values from buffers the caller reuses
// at once, many of them and one larger than the rest (a backend may copy
// them into blocks of its own): the transaction, the store and the change
// stream all keep what was written, not what the buffers hold later.
func testBuffersReused(t *testing.T, b kv.Backend) {
	s := stream(t, b, revision(t, b))
	value := func(i int) []byte {
		size := 700
		if i == 50 {
			size = 100 << 10
		}
		return bytes.Repeat([]byte{byte('a' + i%26)}, size)
	}
	const n = 100 // etcd takes 128 operations a transaction
	key, val := make([]byte, 0, 16), make([]byte, 0, 100<<10)
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		for i := range n {
			key, val = fmt.Appendf(key[:0], "k%03d", i), append(val[:0], value(i)...)
			if err := tx.Put("buf", key, val); err != nil {
				return err
			}
			copy(key, "xxxx")
			clear(val)
		}
		for i := range n {
			if v, err := tx.Get("buf", fmt.Appendf(nil, "k%03d", i)); err != nil || !bytes.Equal(v, value(i)) {
				t.Errorf("Get of k%03d in the writing tx: %d bytes (%v), not the %d written", i, len(v), err, len(value(i)))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if v := get(t, b, "buf", fmt.Sprintf("k%03d", i)); !bytes.Equal(v, value(i)) {
			t.Errorf("k%03d after the commit: %d bytes, not the %d written", i, len(v), len(value(i)))
		}
	}
	c := next(t, s)
	if len(c.Changes) != n {
		t.Fatalf("the commit has %d changes, want %d", len(c.Changes), n)
	}
	for i, ch := range c.Changes {
		if string(ch.Key) != fmt.Sprintf("k%03d", i) || !bytes.Equal(ch.Value, value(i)) {
			t.Errorf("change %d: %q with %d bytes, want k%03d with the %d written", i, ch.Key, len(ch.Value), i, len(value(i)))
		}
	}
}
