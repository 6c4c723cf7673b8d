package storage

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

func pendingIDs(t *testing.T, s *Store) []string {
	t.Helper()
	pending, err := s.PendingMails()
	if err != nil || len(pending) == 0 {
		t.Fatalf("pending mail: %d, %v", len(pending), err)
	}
	var ids []string
	for _, n := range pending {
		ids = append(ids, n.ID)
	}
	return ids
}

func TestAClaimedMailIsNobodyElsesUntilItsClaimLapses(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	mustCreate(t, s, "ci")
	ids := pendingIDs(t, s)
	until := clk.Now().Add(2 * time.Minute)
	if got, err := s.ClaimMails(ids, "a", until); err != nil || !slices.Equal(got, ids) {
		t.Fatalf("first claim = %v, %v; want %v", got, err, ids)
	}
	if got, err := s.ClaimMails(ids, "b", until); err != nil || len(got) != 0 {
		t.Fatalf("a second worker claimed %v (%v) while a's claim holds", got, err)
	}
	if got, _ := s.ClaimMails(ids, "a", until); !slices.Equal(got, ids) {
		t.Fatalf("the claimer itself could not claim again: %v", got)
	}
	clk.Set(until.Add(time.Second)) // a died with them claimed
	if got, _ := s.ClaimMails(ids, "b", clk.Now().Add(time.Minute)); !slices.Equal(got, ids) {
		t.Fatalf("after the claim lapsed b got %v, want %v", got, ids)
	}
	must(t, s.MarkSent(ids[0], clk.Now()))
	if got, _ := s.ClaimMails(ids[:1], "b", clk.Now().Add(time.Minute)); len(got) != 0 {
		t.Fatalf("a sent mail was claimed: %v", got)
	}
}

func TestADeposedLeaderClaimsNoMail(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	mustCreate(t, s, "ci")
	ids := pendingIDs(t, s)
	stale := deposed(t, s)
	if got, err := stale.ClaimMails(ids, "a", clk.Now().Add(time.Minute)); !errors.Is(err, kv.ErrFenced) || len(got) != 0 {
		t.Fatalf("claim by a deposed leader = %v, %v; want kv.ErrFenced", got, err)
	}
	if got, _ := s.ClaimMails(ids, "b", clk.Now().Add(time.Minute)); !slices.Equal(got, ids) {
		t.Fatalf("the fenced claim left something behind: b got %v", got)
	}
}

// Two nodes claiming the same mails at once on etcd: each mail goes to
// exactly one of them (each claim reads the mail in its transaction).
func TestTwoNodesClaimingAtOnceNeverBothWin(t *testing.T) {
	clk := clock.NewFake(t0)
	prefix := newEtcdPrefix()
	a := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "a"})
	b := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme", Node: "b"})
	addAdmins(t, a, "ops@example.com")
	for i := range 30 {
		if _, _, err := a.Create("tester", fmt.Sprintf("k%d", i), model.AllPermissions()); err != nil {
			t.Fatal(err)
		}
	}
	ids := pendingIDs(t, a)
	until := clk.Now().Add(time.Minute)
	var got [2][]string
	var errs [2]error
	var wg sync.WaitGroup
	for i, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = s.ClaimMails(ids, fmt.Sprint("node", i), until)
		}()
	}
	wg.Wait()
	must(t, errors.Join(errs[:]...))
	both := append(slices.Clone(got[0]), got[1]...)
	slices.Sort(both)
	if !slices.Equal(both, ids) {
		t.Fatalf("node a claimed %d, node b %d of %d mails; together %v, want each exactly once", len(got[0]), len(got[1]), len(ids), both)
	}
}
