package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// limited is a backend with etcd's kind of limits: a transaction that
// exceeds them is refused, as etcd refuses it. It keeps the largest
// transaction it committed.
type limited struct {
	kv.Backend
	limits  kv.Limits
	largest kv.Usage
	commits int
}

func (l *limited) Limits() kv.Limits { return l.limits }

func (l *limited) Update(ctx context.Context, fn func(kv.Tx) error) (int64, error) {
	return l.Backend.Update(ctx, func(tx kv.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		u := tx.Usage()
		if !l.limits.Fits(u) {
			return fmt.Errorf("%w: %+v", kv.ErrTooLarge, u)
		}
		l.largest = kv.Usage{Ops: max(l.largest.Ops, u.Ops), Reads: max(l.largest.Reads, u.Reads), Bytes: max(l.largest.Bytes, u.Bytes)}
		l.commits++
		return nil
	})
}

// Import, rotate --all and the expiry pass cut their chunks to the
// backend's limits: etcd's 128 operations per transaction, and a byte
// budget small enough to bind before the operations do.
func TestBulkWorkFitsTheBackendsLimits(t *testing.T) {
	for _, lim := range []kv.Limits{{Ops: 128, Bytes: 1 << 20}, {Ops: 1000, Bytes: 64 << 10}} {
		t.Run(fmt.Sprintf("%d ops %d bytes", lim.Ops, lim.Bytes), func(t *testing.T) {
			s, clk := openTest(t)
			addAdmins(t, s, "ada@example.com")
			l := &limited{Backend: s.kv, limits: lim}
			s.kv = l
			importN(t, s, 600, time.Time{})
			imports := l.commits
			res, err := s.RotateAll("tester", time.Minute, nil)
			if err != nil || res.Rotated != 601 {
				t.Fatalf("RotateAll = %+v, %v", res, err)
			}
			clk.Advance(time.Minute)
			if n, err := s.ApplyDue(clk.Now()); n != 601 || err != nil {
				t.Fatalf("ApplyDue = %d, %v", n, err)
			}
			if imports < 2 || !lim.Fits(l.largest) {
				t.Fatalf("%d commits for the import, largest transaction %+v", imports, l.largest)
			}
			for _, kind := range []model.NotificationKind{model.NotifyCreated, model.NotifyRotationScheduled, model.NotifyExpired} {
				if m := mailsOfKind(t, s, kind); len(m) != 1 || m[0].Count < 600 {
					t.Errorf("%s: %d mails, want one for every key", kind, len(m))
				}
			}
			checkInvariants(t, s)
		})
	}
}

// The chunk size follows the time the last chunk held the write lock.
func TestChunkSizeAdaptsToTheLockHold(t *testing.T) {
	c := newChunker()
	c.committed(chunkFirst, chunkHold/4)
	if c.size != 2*chunkFirst {
		t.Fatalf("a quick chunk of %d: next %d, want it doubled", chunkFirst, c.size)
	}
	c.committed(c.size, chunkHold*3)
	if c.size != chunkFirst {
		t.Fatalf("a slow chunk: next %d, want it halved to %d", c.size, chunkFirst)
	}
	c.committed(c.size, chunkHold*5/4)
	if c.size != chunkFirst*4/5 {
		t.Fatalf("a chunk 25%% over: next %d, want %d", c.size, chunkFirst*4/5)
	}
	size := c.size
	c.committed(3, time.Millisecond) // the input ran out: no news about time
	if c.size != size {
		t.Fatalf("a short last chunk changed the size to %d", c.size)
	}
	for range 20 {
		c.committed(c.size, time.Microsecond)
	}
	if c.size != chunkMax {
		t.Fatalf("size grew to %d, want at most %d", c.size, chunkMax)
	}
}

// retryOnce is a backend whose first transaction conflicts once fn has
// run, as an etcd transaction may, and is run again; that first try takes
// took on clk.
type retryOnce struct {
	kv.Backend
	clk   *clock.Fake
	took  time.Duration
	tried bool
}

var errConflict = errors.New("conflict")

func (r *retryOnce) Update(ctx context.Context, fn func(kv.Tx) error) (int64, error) {
	if !r.tried {
		r.tried = true
		_, err := r.Backend.Update(ctx, func(tx kv.Tx) error {
			if err := fn(tx); err != nil {
				return err
			}
			r.clk.Advance(r.took)
			return errConflict
		})
		if !errors.Is(err, errConflict) {
			return 0, err
		}
	}
	return r.Backend.Update(ctx, fn)
}

// A chunk that runs slower than the ones before it stops taking keys once
// it has held the write lock for the target, counted from when it took the
// lock: a retry does not start it over. The keys it took commit and the
// rest go to the next chunks.
func TestChunkStopsTakingKeysOnceItHasHeldTheLockForTheTarget(t *testing.T) {
	s, _ := openTest(t)
	lockClock := clock.NewFake(t0)
	s.lockClock = lockClock
	s.kv = &retryOnce{Backend: s.kv, clk: lockClock, took: chunkHold}
	b, err := s.newBulk("tester", model.NotifyCreated)
	must(t, err)
	var chunks [][2]int
	err = b.apply(10, false, func(*wtx, int, int) (*model.NotifiedKey, bool, error) { return nil, false, nil }, func(from, to int) {
		chunks = append(chunks, [2]int{from, to})
	})
	must(t, err)
	if len(chunks) == 0 || chunks[0] != [2]int{0, 1} || chunks[len(chunks)-1][1] != 10 {
		t.Fatalf("chunks %v: want the first, retried after holding the lock for the target, to stop after its first item, and all 10 done", chunks)
	}
}

// fill stops taking items once full says so; the first is always taken.
func TestFillStopsWhenFull(t *testing.T) {
	s, _ := openTest(t)
	applied := 0
	err := s.update(func(w *wtx) error {
		taken, err := w.fill(0, 10, kv.Usage{}, func() bool { return applied == 3 }, func(*wtx, int) error {
			applied++
			return nil
		})
		if taken != 3 || applied != 3 {
			t.Errorf("fill took %d keys, applied %d, want 3 (full after 3)", taken, applied)
		}
		return err
	})
	must(t, err)
}
