package etcd_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// A leader that dies without resigning (its process gone, its lease
// lapsing) is replaced within the session TTL, and its writes are fenced.
func TestLeaderThatVanishesIsReplacedAndFenced(t *testing.T) {
	opts := etcd.Options{Prefix: fmt.Sprintf("/vanish%d", os.Getpid()), SessionTTL: 1}
	a, b := open(t, opts), open(t, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	la, err := a.Campaign(ctx, "scheduler")
	if err != nil {
		t.Fatal(err)
	}
	won := make(chan kv.Leader, 1)
	go func() {
		lb, err := b.Campaign(ctx, "scheduler")
		if err != nil {
			t.Error(err)
		}
		won <- lb
	}()
	a.Close() // no Resign: the lease must lapse by itself
	var lb kv.Leader
	select {
	case lb = <-won:
	case <-ctx.Done():
		t.Fatal("no takeover")
	}
	if lb == nil {
		t.FailNow()
	}
	defer lb.Resign(context.Background())
	_, err = b.Update(context.Background(), func(tx kv.Tx) error {
		tx.Fence(la.Fence())
		return tx.Put("b", []byte("stale"), nil)
	})
	if !errors.Is(err, kv.ErrFenced) {
		t.Fatalf("write fenced by the vanished leader = %v, want ErrFenced", err)
	}
	_, err = b.Update(context.Background(), func(tx kv.Tx) error {
		tx.Fence(lb.Fence())
		return tx.Put("b", []byte("fresh"), nil)
	})
	if err != nil {
		t.Fatalf("write fenced by the new leader: %v", err)
	}
}

func TestLeaderDoneWhenLeaseRevoked(t *testing.T) {
	b := open(t, etcd.Options{})
	l, err := b.Campaign(context.Background(), "mail")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := b.Client().Get(context.Background(), l.Fence().Key)
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("leader key: %v %v", resp, err)
	}
	if _, err := b.Client().Revoke(context.Background(), clientv3.LeaseID(resp.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed after the session's lease was revoked")
	}
}

// Lead's fn learns at once that its lease is gone, and the loop campaigns again.
func TestLeadStopsFnWhenTheLeaseLapses(t *testing.T) {
	b := open(t, etcd.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fences := make(chan kv.Fence)
	ended := make(chan struct{}, 2)
	go kv.Lead(ctx, b, "scheduler", 10*time.Millisecond, func(lctx context.Context, f kv.Fence) error {
		select {
		case fences <- f:
		case <-lctx.Done():
		}
		<-lctx.Done()
		ended <- struct{}{}
		return nil
	})
	first := <-fences
	resp, err := b.Client().Get(ctx, first.Key)
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("leader key: %v %v", resp, err)
	}
	if _, err := b.Client().Revoke(ctx, clientv3.LeaseID(resp.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-ctx.Done():
		t.Fatal("fn still running after its lease was revoked")
	}
	select {
	case second := <-fences:
		if second == first {
			t.Fatal("a new leadership reused the old fence")
		}
	case <-ctx.Done():
		t.Fatal("Lead did not campaign again")
	}
	cancel()
}
