package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
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

// dump lists every bucket (with its sequence), key and value of db, nested
// buckets by their path.
func dump(t *testing.T, db *bbolt.DB) []string {
	t.Helper()
	var out []string
	var walk func(path string, b *bbolt.Bucket) error
	walk = func(path string, b *bbolt.Bucket) error {
		out = append(out, fmt.Sprintf("bucket %s seq %d", path, b.Sequence()))
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(path+"/"+string(k), b.Bucket(k))
			}
			out = append(out, fmt.Sprintf("%s %q=%x", path, k, v))
			return nil
		})
	}
	err := db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return walk(string(name), b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fill writes buckets of every shape into db: many small records, values
// larger than a page, an empty bucket, nested buckets two levels deep,
// sequences, and records deleted again (free pages the copy leaves out).
func fill(t *testing.T, db *bbolt.DB) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	err := db.Update(func(tx *bbolt.Tx) error {
		many, _ := tx.CreateBucket([]byte("many"))
		for i := range 5000 {
			v := make([]byte, rng.IntN(300))
			for j := range v {
				v[j] = byte(rng.Uint32())
			}
			if err := many.Put(fmt.Appendf(nil, "k%05d", i), v); err != nil {
				return err
			}
		}
		many.SetSequence(5000)
		big, _ := tx.CreateBucket([]byte("big"))
		for i := range 20 {
			big.Put(fmt.Appendf(nil, "b%d", i), bytes.Repeat([]byte{byte(i + 1)}, 10000+i))
		}
		tx.CreateBucket([]byte("empty"))
		outer, _ := tx.CreateBucket([]byte("outer"))
		outer.SetSequence(7)
		outer.Put([]byte("a"), []byte("1"))
		inner, _ := outer.CreateBucket([]byte("inner"))
		inner.SetSequence(9)
		inner.Put([]byte("x"), []byte("2"))
		deepest, _ := inner.CreateBucket([]byte("deepest"))
		deepest.Put([]byte("y"), []byte("3"))
		outer.Put([]byte("z"), []byte("4"))
		return nil
	})
	if err == nil {
		err = db.Update(func(tx *bbolt.Tx) error {
			for i := 0; i < 5000; i += 3 {
				tx.Bucket([]byte("many")).Delete(fmt.Appendf(nil, "k%05d", i))
			}
			return nil
		})
	}
	if err != nil {
		t.Fatal(err)
	}
}

// The copy holds every bucket, nested ones, sequence, key and value of the
// file and nothing else, whatever the transactions it is cut into; last
// runs in it; it is synced and reopens whole, and it is returned with the
// usual syncing on.
func TestCompactToCopiesEverything(t *testing.T) {
	for _, txBytes := range []int{1, 4096, 64 << 20} {
		t.Run(fmt.Sprint(txBytes), func(t *testing.T) {
			b := openTemp(t, bolt.Options{})
			fill(t, b.DB())
			want := dump(t, b.DB())
			path := filepath.Join(t.TempDir(), "copy.db")
			dst, err := b.CompactTo(path, txBytes, func(tx *bbolt.Tx) error {
				return tx.Bucket([]byte("outer")).Delete([]byte("z"))
			})
			if err != nil {
				t.Fatal(err)
			}
			if dst.NoSync || dst.NoGrowSync {
				t.Error("the copy is returned with syncing off")
			}
			if err := dst.Close(); err != nil {
				t.Fatal(err)
			}
			reopened, err := bbolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer reopened.Close()
			got := dump(t, reopened)
			want = slices.DeleteFunc(want, func(s string) bool { return s == `outer "z"=34` })
			if !slices.Equal(got, want) {
				t.Fatalf("copy differs: %d entries, want %d\ngot  %.400q\nwant %.400q", len(got), len(want), got, want)
			}
			if err := reopened.View(func(tx *bbolt.Tx) error {
				for err := range tx.Check() {
					return err
				}
				return nil
			}); err != nil {
				t.Fatalf("bbolt's check of the copy: %v", err)
			}
		})
	}
}

// A copy that fails (last refuses) returns the error and leaves the file
// as it was.
func TestCompactToFailingLeavesTheFile(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	fill(t, b.DB())
	want := dump(t, b.DB())
	refused := errors.New("refused")
	if _, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 4096, func(*bbolt.Tx) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("CompactTo = %v, want %v", err, refused)
	}
	if got := dump(t, b.DB()); !slices.Equal(got, want) {
		t.Fatal("the file changed")
	}
}
