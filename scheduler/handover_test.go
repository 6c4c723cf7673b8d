package scheduler

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// node opens a store on the shared etcd database, as one serve node does.
func node(t *testing.T, srv *etcdtest.Server, prefix, name string, key []byte, clk clock.Clock) (*storage.Store, *etcd.Backend) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, etcd.Options{Endpoints: []string{srv.Endpoint}, Prefix: prefix, SessionTTL: 1, Node: name})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.OpenBackend(b, storage.Options{Clock: clk, MasterKey: key, Org: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, b
}

// Two nodes on one etcd: the leader loses its lease, and its fenced writes
// change nothing; when it dies, the other node takes over within the
// session TTL and applies the due expiry exactly once.
func TestLeadershipHandsOverAndTheDueExpiryIsAppliedOnce(t *testing.T) {
	srv, err := etcdtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close) // after the stores: their watches would hold it up
	key := make([]byte, 32)
	rand.Read(key)
	clk := clock.NewFake(t0)
	prefix := fmt.Sprintf("/handover%d", os.Getpid())
	a, ab := node(t, srv, prefix, "a", key, clk)
	b, _ := node(t, srv, prefix, "b", key, clk)
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
	if err := revokeLeader(ctx, ab, prefix+"/e/scheduler/"); err != nil {
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

// revokeLeader ends the session that holds the election under prefix, as
// a lapsed lease would.
func revokeLeader(ctx context.Context, b *etcd.Backend, election string) error {
	resp, err := b.Client().Get(ctx, election, clientv3.WithFirstCreate()...)
	if err != nil {
		return err
	}
	if len(resp.Kvs) != 1 || resp.Kvs[0].Lease == 0 {
		return fmt.Errorf("no leader under %s", election)
	}
	_, err = b.Client().Revoke(ctx, clientv3.LeaseID(resp.Kvs[0].Lease))
	return err
}
