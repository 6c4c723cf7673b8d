package storage

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// countIn counts the records of a range.
func countIn(t *testing.T, s *Store, r kv.Range) int {
	t.Helper()
	n := 0
	must(t, s.read(func(tx kv.ReadTx) error {
		return tx.Scan(r, false, func(_, _ []byte) error { n++; return nil })
	}))
	return n
}

// A key with more usage hours than one transaction may hold (etcd: 128
// operations) can still be deleted; the scheduler's next pass removes its
// hours in chunks, and nothing of it is left.
func TestADeletedKeysUsageIsSweptInChunks(t *testing.T) {
	s, clk := openTest(t)
	k, _ := mustCreate(t, s, "busy")
	l := &limited{Backend: s.kv, limits: kv.Limits{Ops: 128, Bytes: 1 << 20}}
	s.kv = l
	var hours []model.UsageHour
	for h := range 300 {
		hours = append(hours, model.UsageHour{KeyID: k.ID, Hour: clk.Now().Add(-time.Duration(h) * time.Hour).Truncate(time.Hour), Allowed: 1})
	}
	must(t, s.RecordUsage(hours))
	usage := kv.Prefix(string(bucketUsage), []byte(k.ID))
	if n := countIn(t, s, usage); n != 300 {
		t.Fatalf("%d hours stored, want 300", n)
	}
	must(t, s.Delete("tester", k.ID))
	if _, err := s.ApplyDue(clk.Now()); err != nil {
		t.Fatal(err)
	}
	if n, gone := countIn(t, s, usage), countIn(t, s, kv.Range{Bucket: string(bucketUsageGone)}); n != 0 || gone != 0 {
		t.Fatalf("after the sweep: %d hours and %d keys to sweep left", n, gone)
	}
	if !l.limits.Fits(l.largest) {
		t.Fatalf("largest transaction %+v over the limits", l.largest)
	}
}
