package kvtest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

func campaign(t *testing.T, b kv.Backend, name string) kv.Leader {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := b.Campaign(ctx, name)
	if err != nil {
		t.Fatalf("Campaign(%s): %v", name, err)
	}
	return l
}

func fencedPut(b kv.Backend, f kv.Fence, key string) error {
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		tx.Fence(f)
		return tx.Put("fenced", []byte(key), []byte("x"))
	})
	return err
}

func testFence(t *testing.T, b kv.Backend) {
	l := campaign(t, b, "scheduler")
	f := l.Fence()
	if f == (kv.Fence{}) {
		t.Fatal("a leader's fence must name its leadership")
	}
	if err := fencedPut(b, f, "while-leading"); err != nil {
		t.Fatalf("fenced write by the leader: %v", err)
	}
	if err := l.Resign(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed after Resign")
	}
	if err := fencedPut(b, f, "after-resign"); !errors.Is(err, kv.ErrFenced) {
		t.Fatalf("fenced write after resigning = %v, want ErrFenced", err)
	}
	if get(t, b, "fenced", "after-resign") != nil {
		t.Fatal("a fenced-off write was stored")
	}
	l2 := campaign(t, b, "scheduler")
	defer l2.Resign(context.Background())
	if l2.Fence() == f {
		t.Fatal("a new leadership must have a new fence")
	}
	if err := fencedPut(b, f, "old-leader"); !errors.Is(err, kv.ErrFenced) {
		t.Fatalf("the old leader's write under a new leader = %v, want ErrFenced", err)
	}
}

func testCampaignWaits(t *testing.T, b kv.Backend) {
	first := campaign(t, b, "mail")
	other := campaign(t, b, "scheduler") // another name is another seat
	defer other.Resign(context.Background())
	var resigned atomic.Bool
	won := make(chan kv.Leader, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		l, err := b.Campaign(ctx, "mail")
		if err != nil {
			t.Error(err)
		}
		if !resigned.Load() {
			t.Error("a second campaigner won while the first still led")
		}
		won <- l
	}()
	resigned.Store(true)
	if err := first.Resign(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case l := <-won:
		if l != nil {
			l.Resign(context.Background())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the second campaigner never won")
	}
}
