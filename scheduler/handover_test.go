package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/nodetest"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/kv"
)

// Two nodes on one etcd: the leader loses its lease, and its fenced writes
// change nothing; when it dies, the other node takes over within the
// session TTL and applies the due expiry exactly once.
func TestLeadershipHandsOverAndTheDueExpiryIsAppliedOnce(t *testing.T) {
	clk := clock.NewFake(t0)
	cluster := nodetest.Start(t, clk)
	a, ab := cluster.Node(t, "a")
	b, _ := cluster.Node(t, "b")
	if _, err := a.AddMember("tester", "ops@example.com", model.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	old, _, err := a.Create("tester", "ci", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Rotate("tester", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	leaders := make(chan *storage.Store, 2)
	go a.Lead(ctx, "scheduler", func(lctx context.Context, st *storage.Store) error {
		leaders <- st
		<-lctx.Done()
		return nil
	})
	first := <-leaders
	if err := cluster.RevokeLeader(ctx, ab, "scheduler"); err != nil {
		t.Fatal(err)
	}
	<-leaders // a campaigns again and, alone, wins again
	clk.Advance(2 * time.Hour)
	if n, err := first.ApplyDue(clk.Now()); !errors.Is(err, kv.ErrFenced) || n != 0 {
		t.Fatalf("ApplyDue under a lost leadership = %d, %v; want kv.ErrFenced", n, err)
	}
	if _, err := b.Get(old.ID); err != nil {
		t.Fatalf("the fenced pass changed something: %v", err)
	}

	go b.Lead(ctx, "scheduler", func(lctx context.Context, st *storage.Store) error {
		return Run(lctx, st, clk, nil)
	})
	a.Close() // node a dies: its session ends, b takes over
	testkit.Eventually(t, 20*time.Second, "node b retires the due key", func() bool {
		_, err := b.Get(old.ID)
		return errors.Is(err, storage.ErrNotFound)
	})
	out, err := b.Outbox(0)
	if err != nil {
		t.Fatal(err)
	}
	expired := 0
	for _, n := range out {
		if n.Kind == model.NotifyExpired {
			expired++
		}
	}
	if expired != 1 {
		t.Fatalf("%d expiry mails, want exactly 1", expired)
	}
}
