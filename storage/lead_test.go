package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// deposed returns the store as a leader saw it, once that leader has lost
// the election (on bbolt: resigned).
func deposed(t *testing.T, s *Store) *Store {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stale *Store
	err := s.Lead(ctx, "scheduler", func(_ context.Context, st *Store) error {
		stale = st
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || stale == nil {
		t.Fatalf("Lead = %v, leader %v", err, stale)
	}
	return stale
}

func TestADeposedLeaderAppliesNoExpiry(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	old, _ := mustCreate(t, s, "ci")
	if _, _, err := s.Rotate("tester", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	stale := deposed(t, s)
	clk.Advance(2 * time.Hour)
	if n, err := stale.ApplyDue(clk.Now()); !errors.Is(err, kv.ErrFenced) || n != 0 {
		t.Fatalf("ApplyDue by a deposed leader = %d, %v; want kv.ErrFenced", n, err)
	}
	if _, err := s.Get(old.ID); err != nil {
		t.Fatalf("the fenced expiry changed something: %v", err)
	}
	if n := len(mailsOfKind(t, s, model.NotifyExpired)); n != 0 {
		t.Fatalf("%d expiry mails from a fenced pass", n)
	}
	if n, err := s.ApplyDue(clk.Now()); err != nil || n != 1 {
		t.Fatalf("ApplyDue unfenced = %d, %v", n, err)
	}
}

func TestALeaderWritesWhileItLeads(t *testing.T) {
	s, clk := openTest(t)
	old, _ := mustCreate(t, s, "ci")
	if _, _, err := s.Rotate("tester", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	applied := -1
	s.Lead(ctx, "scheduler", func(_ context.Context, st *Store) error {
		applied, _ = st.ApplyDue(clk.Now())
		cancel()
		return nil
	})
	if applied != 1 {
		t.Fatalf("the leader applied %d expiries, want 1", applied)
	}
}

// Only a database other processes share at once (etcd) is Shared: a local
// dashboard on it leaves the scheduler and the mail to the serve nodes.
func TestOnlyAnEtcdDatabaseIsShared(t *testing.T) {
	file, _ := openTest(t)
	shared := openEtcd(t, newEtcdPrefix(), Options{Org: "Acme"})
	if file.Shared() || !shared.Shared() {
		t.Fatalf("Shared: bbolt %v, etcd %v", file.Shared(), shared.Shared())
	}
}
