package storage

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/storage/kv"
)

// lastUseEntries counts the last-use entries of key id, one per node.
func lastUseEntries(t *testing.T, s *Store, id string) int {
	t.Helper()
	n := 0
	err := s.read(func(tx kv.ReadTx) error {
		return tx.Scan(kv.Prefix(string(bucketLastUsed), lastUseKey(id, "")), false, func(_, _ []byte) error {
			n++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Two nodes on one etcd each write their own entry; every reader takes the
// newest, whichever node wrote it; the entries go with the key.
func TestLastUsedIsTheNewestOfEveryNodesEntry(t *testing.T) {
	clk := clock.NewFake(t0)
	prefix := newEtcdPrefix()
	a := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "a"})
	b := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "b"})
	k, tok := mustCreate(t, a, "ci")
	must(t, a.RecordLastUsed(map[string]time.Time{k.ID: t0.Add(time.Minute)}))
	must(t, b.RecordLastUsed(map[string]time.Time{k.ID: t0.Add(3 * time.Minute)}))
	must(t, a.RecordLastUsed(map[string]time.Time{k.ID: t0.Add(2 * time.Minute)})) // older than b's: changes nothing
	for name, s := range map[string]*Store{"a": a, "b": b} {
		got, err := s.Get(k.ID)
		if err != nil || !got.LastUsedAt.Equal(t0.Add(3*time.Minute)) {
			t.Fatalf("node %s: last used %v (%v), want node b's, the newest", name, got.LastUsedAt, err)
		}
		if found, ok, _ := s.FindToken(tok); !ok || !found.LastUsedAt.Equal(t0.Add(3*time.Minute)) {
			t.Fatalf("node %s: keys find says last used %v", name, found.LastUsedAt)
		}
	}
	if n := lastUseEntries(t, a, k.ID); n != 2 {
		t.Fatalf("%d entries, want one per node", n)
	}
	must(t, b.Delete("tester", k.ID))
	if n := lastUseEntries(t, a, k.ID); n != 0 {
		t.Fatalf("%d entries left after the key was deleted", n)
	}
}

// On a bbolt file the one node's entries survive a restart and reach the
// key list loaded at open.
func TestLastUsedSurvivesARestart(t *testing.T) {
	s, clk := openTest(t)
	k, _ := mustCreate(t, s, "ci")
	must(t, s.RecordLastUsed(map[string]time.Time{k.ID: t0.Add(time.Minute)}))
	s = reopen(t, s, clk)
	keys, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range keys {
		if got.ID == k.ID && !got.LastUsedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("after a restart the list says last used %v", got.LastUsedAt)
		}
	}
}

// The node that runs the scheduler judges an until-idle key quiet from
// every node's uses: a use flushed by another node keeps the key alive.
func TestUntilIdleCountsUsesSeenByAnotherNode(t *testing.T) {
	clk := clock.NewFake(t0)
	prefix := newEtcdPrefix()
	leader := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "a"})
	other := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "b"})
	old, _ := mustCreate(t, leader, "ci")
	if _, _, err := leader.RotateUntilIdle("tester", old.ID, 15*time.Minute, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	must(t, other.RecordLastUsed(map[string]time.Time{old.ID: clk.Now()}))
	clk.Advance(10 * time.Minute)
	if n, err := leader.ApplyDue(clk.Now()); err != nil || n != 0 {
		t.Fatalf("ApplyDue = %d, %v: node b saw the key 10 min ago", n, err)
	}
	clk.Advance(5 * time.Minute)
	if n, err := leader.ApplyDue(clk.Now()); err != nil || n != 1 {
		t.Fatalf("ApplyDue 15 min after node b's use = %d, %v", n, err)
	}
}
