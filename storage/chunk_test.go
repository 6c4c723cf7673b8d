package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

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

// A chunk that runs slower than the ones before it stops taking keys once
// it has held the write lock for the target; the keys it took commit and
// the rest go to the next chunk.
func TestChunkStopsTakingKeysOnceItHasHeldTheLockForTheTarget(t *testing.T) {
	if holdDeadline(time.Now().Add(time.Hour))() {
		t.Fatal("a chunk that has just taken the lock is full")
	}
	if !holdDeadline(time.Now().Add(-chunkHold))() {
		t.Fatal("a chunk that has held the lock for the target takes more keys")
	}
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
