package storage

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// bucketsWritten returns the buckets the commits after rev wrote, up to
// the store's current revision.
func bucketsWritten(t *testing.T, s *Store, rev int64) []string {
	t.Helper()
	var now int64
	must(t, s.read(func(tx kv.ReadTx) (err error) { now, err = tx.Revision(); return err }))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := s.kv.Changes(ctx, rev)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buckets []string
	for rev < now {
		c, err := st.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Changes {
			if !slices.Contains(buckets, ch.Bucket) {
				buckets = append(buckets, ch.Bucket)
			}
		}
		rev = c.Revision
	}
	slices.Sort(buckets)
	return buckets
}

// /auth's two flushes are separate: usage writes only usage records, last
// used only this node's entries; neither rewrites a key's record.
func TestUsageAndLastUsedFlushApart(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		k, _ := mustCreate(t, s, "ci")
		var rev int64
		must(t, s.read(func(tx kv.ReadTx) (err error) { rev, err = tx.Revision(); return err }))
		must(t, s.RecordUsage([]model.UsageHour{{KeyID: k.ID, Hour: clk.Now().Truncate(time.Hour), Allowed: 3}}))
		if got := bucketsWritten(t, s, rev); !slices.Equal(got, []string{"usage"}) {
			t.Fatalf("the usage flush wrote %v", got)
		}
		must(t, s.read(func(tx kv.ReadTx) (err error) { rev, err = tx.Revision(); return err }))
		must(t, s.RecordLastUsed(map[string]time.Time{k.ID: clk.Now()}))
		if got := bucketsWritten(t, s, rev); !slices.Equal(got, []string{"lastused"}) {
			t.Fatalf("the last-used flush wrote %v", got)
		}
	})
}

// countingReads counts the key records read through View.
type countingReads struct {
	kv.Backend
	keys atomic.Int64
}

func (c *countingReads) View(ctx context.Context, fn func(kv.ReadTx) error) error {
	return c.Backend.View(ctx, func(tx kv.ReadTx) error { return fn(countingTx{tx, c}) })
}

type countingTx struct {
	kv.ReadTx
	c *countingReads
}

func (t countingTx) Get(bucket string, key []byte) ([]byte, error) {
	if bucket == string(bucketKeys) {
		t.c.keys.Add(1)
	}
	return t.ReadTx.Get(bucket, key)
}

func (t countingTx) Scan(r kv.Range, reverse bool, fn func(k, v []byte) error) error {
	return t.ReadTx.Scan(r, reverse, func(k, v []byte) error {
		if r.Bucket == string(bucketKeys) {
			t.c.keys.Add(1)
		}
		return fn(k, v)
	})
}

// The reminder pass reads the keys expiring within the largest threshold
// (a range of the expiry index), not every key; it takes them from the key
// list in memory, so it decodes at most the records it writes.
func TestTheReminderPassReadsOnlyTheKeysInItsWindow(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	importN(t, s, 40, clk.Now().Add(60*model.Day))
	soon := importN(t, s, 2, clk.Now().Add(3*model.Day))
	withReminders(s)
	clk.Advance(2*model.Day + time.Minute) // the 1-day reminder of the two is due
	c := &countingReads{Backend: s.kv}
	s.kv = c
	if _, err := s.ApplyDue(clk.Now()); err != nil {
		t.Fatal(err)
	}
	if n := c.keys.Load(); n > 2*int64(len(soon)) {
		t.Fatalf("the pass read %d key records for %d keys in its window (of 42)", n, len(soon))
	}
	if mails := mailsOfKind(t, s, model.NotifyReminder); len(mails) != 1 || mails[0].Count != 2 {
		t.Fatalf("reminder mails %+v", mails)
	}
}
