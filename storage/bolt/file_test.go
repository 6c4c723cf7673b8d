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

	dst := compactCopy(t, b, nil)
	previous, err := b.Swap(dst)
	if err != nil {
		t.Fatal(err)
	}
	previous.Close()
	if b.DB() == previous {
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

// compactCopy makes a caught-up copy of b, with copied as CompactTo's hook.
func compactCopy(t *testing.T, b *bolt.Backend, copied func([]byte)) *bolt.Copy {
	t.Helper()
	c, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 4096, copied)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.CatchUp(func(*bbolt.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return c
}

// The copy holds every bucket, nested ones, sequence, key and value of the
// file and nothing else, whatever the transactions it is cut into; last
// runs in the catch-up; it is synced and reopens whole, and it is returned
// with the usual syncing on.
func TestCompactToCopiesEverything(t *testing.T) {
	for _, txBytes := range []int{1, 4096, 64 << 20} {
		t.Run(fmt.Sprint(txBytes), func(t *testing.T) {
			b := openTemp(t, bolt.Options{})
			fill(t, b.DB())
			want := dump(t, b.DB())
			path := filepath.Join(t.TempDir(), "copy.db")
			c, err := b.CompactTo(path, txBytes, nil)
			if err == nil {
				err = c.CatchUp(func(tx *bbolt.Tx) error {
					return tx.Bucket([]byte("outer")).Delete([]byte("z"))
				})
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.DB().NoSync || c.DB().NoGrowSync {
				t.Error("the copy is returned with syncing off")
			}
			if err := c.Close(); err != nil {
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

// A catch-up that fails (last refuses) returns the error and leaves the
// file as it was.
func TestCatchUpFailingLeavesTheFile(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	fill(t, b.DB())
	want := dump(t, b.DB())
	refused := errors.New("refused")
	c, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 4096, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.CatchUp(func(*bbolt.Tx) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("CatchUp = %v, want %v", err, refused)
	}
	if got := dump(t, b.DB()); !slices.Equal(got, want) {
		t.Fatal("the file changed")
	}
}

// Commits made while the copy runs (half of its buckets copied) go on, and
// the catch-up brings them into the copy: puts, overwrites, deletions, a
// bucket created with a put, one created only by its sequence, and the
// sequences moved. The copy swapped in then reads as the file did.
func TestCatchUpAppliesTheCommitsMadeDuringTheCopy(t *testing.T) {
	ctx := context.Background()
	b := openTemp(t, bolt.Options{})
	fill(t, b.DB())
	update := func(fn func(tx kv.Tx) error) {
		t.Helper()
		if _, err := b.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	var done bool
	c := compactCopy(t, b, func(bucket []byte) {
		if done || string(bucket) != "empty" { // "big" and "empty" copied; "many" and "outer" not
			return
		}
		done = true
		for _, name := range []string{"big", "many"} {
			update(func(tx kv.Tx) error {
				if err := tx.Put(name, []byte("new"), []byte("during the copy")); err != nil {
					return err
				}
				if err := tx.Put(name, []byte("b3"), []byte("overwritten")); err != nil {
					return err
				}
				if err := tx.Delete(name, []byte("k00001")); err != nil {
					return err
				}
				if err := tx.Delete(name, []byte("b4")); err != nil {
					return err
				}
				_, err := tx.NextSequence(name)
				return err
			})
		}
		update(func(tx kv.Tx) error { return tx.Put("fresh", []byte("k"), []byte("v")) })
		update(func(tx kv.Tx) error { return tx.SetSequence("counted", 41) })
		update(func(tx kv.Tx) error { return tx.Delete("fresh", []byte("k")) })
	})
	if !done {
		t.Fatal("the hook never ran: this test would prove nothing")
	}
	want := dump(t, b.DB())
	previous, err := b.Swap(c)
	if err != nil {
		t.Fatal(err)
	}
	previous.Close()
	if got := dump(t, b.DB()); !slices.Equal(got, want) {
		t.Fatalf("the copy differs from the file:\ngot  %.600q\nwant %.600q", got, want)
	}
}

// A copy the history cannot catch up (more commits during the copy than
// it keeps), or with a bucket copied and deleted since (no commit records
// that), is ErrBehind.
func TestCatchUpBehindIsErrBehind(t *testing.T) {
	for _, during := range []string{"many commits", "a bucket deleted"} {
		t.Run(during, func(t *testing.T) {
			b := openTemp(t, bolt.Options{History: 4})
			fill(t, b.DB())
			c, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 4096, func(bucket []byte) {
				if string(bucket) != "big" {
					return
				}
				if during == "a bucket deleted" {
					err := b.DB().Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket([]byte("big")) })
					if err != nil {
						t.Error(err)
					}
					return
				}
				for i := range 10 {
					_, err := b.Update(context.Background(), func(tx kv.Tx) error { return tx.Put("many", fmt.Append(nil, i), nil) })
					if err != nil {
						t.Error(err)
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.CatchUp(func(*bbolt.Tx) error { return nil }); !errors.Is(err, bolt.ErrBehind) {
				t.Fatalf("CatchUp = %v, want ErrBehind", err)
			}
		})
	}
}

// Swap refuses a copy that a commit after its catch-up left behind.
func TestSwapRefusesACopyBehindTheFile(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	fill(t, b.DB())
	c := compactCopy(t, b, nil)
	if _, err := b.Update(context.Background(), func(tx kv.Tx) error { return tx.Put("many", []byte("late"), []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	file := b.DB()
	if _, err := b.Swap(c); err == nil {
		t.Fatal("Swap took a copy without the last commit")
	}
	if b.DB() != file {
		t.Fatal("the file was replaced")
	}
}

// Commits that run all through the copy, each transaction of which reads
// the file anew (one record per transaction here), deleting and putting
// keys around where the copy is: once caught up, the copy is the file.
func TestCompactToWhileCommitsGoOnEndsAsTheFile(t *testing.T) {
	ctx := context.Background()
	b := openTemp(t, bolt.Options{History: 1 << 20, HistoryBytes: 1 << 30}) // however fast the commits
	fill(t, b.DB())
	stop, stopped, first := make(chan struct{}), make(chan error, 1), make(chan struct{})
	commits := 0
	go func() {
		rng := rand.New(rand.NewPCG(3, 4))
		for {
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
			_, err := b.Update(ctx, func(tx kv.Tx) error {
				for range 10 {
					k := fmt.Appendf(nil, "k%05d", rng.IntN(5000))
					if rng.IntN(2) == 0 {
						if err := tx.Delete("many", k); err != nil {
							return err
						}
					} else if err := tx.Put("many", k, []byte("changed")); err != nil {
						return err
					}
				}
				_, err := tx.NextSequence("many")
				return err
			})
			if err != nil {
				stopped <- err
				return
			}
			if commits++; commits == 1 {
				close(first)
			}
		}
	}()
	c, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 1, func(bucket []byte) {
		if string(bucket) == "big" { // before "many": at least one commit during the copy
			<-first
		}
	})
	close(stop)
	if werr := <-stopped; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.CatchUp(func(*bbolt.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d commits during the copy", commits)
	want := dump(t, b.DB())
	if got := dump(t, c.DB()); !slices.Equal(got, want) {
		t.Fatalf("the copy differs from the file: %d entries, want %d", len(got), len(want))
	}
}
