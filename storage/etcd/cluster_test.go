package etcd_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
)

// A real 3-member cluster (Debian's etcd) loses its leader to kill -9 in
// the middle of 200 writes: every write is stored once, and the stream
// delivers each of them once, in order, with no error.
func TestClusterLeaderKillLosesNoWrite(t *testing.T) {
	cluster := testkit.StartEtcdCluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, etcd.Options{Endpoints: cluster.Endpoints(), DialTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var start int64
	if err := b.View(ctx, func(tx kv.ReadTx) (err error) { start, err = tx.Revision(); return err }); err != nil {
		t.Fatal(err)
	}
	s, err := b.Changes(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	const writes = 200
	var longest time.Duration
	for i := range writes {
		if i == writes/4 {
			cluster.KillLeader(t)
		}
		began := time.Now()
		for attempt := 0; ; attempt++ {
			// A write whose answer was lost may have been applied; this
			// one is idempotent, so trying again is safe.
			wctx, wcancel := context.WithTimeout(ctx, 500*time.Millisecond)
			_, err := b.Update(wctx, func(tx kv.Tx) error {
				return tx.Put("w", fmt.Appendf(nil, "%03d", i), []byte("x"))
			})
			wcancel()
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("write %d never succeeded: %v", i, err)
			}
		}
		longest = max(longest, time.Since(began))
	}
	t.Logf("longest write, across the leader's death: %s", longest)

	var stored int
	err = b.View(ctx, func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: "w"}, false, func(_, _ []byte) error { stored++; return nil })
	})
	if err != nil || stored != writes {
		t.Fatalf("%d writes stored, want %d (%v)", stored, writes, err)
	}
	seen := map[string]bool{}
	last := start
	for len(seen) < writes {
		c, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("stream after %d of %d writes: %v", len(seen), writes, err)
		}
		if c.Revision <= last {
			t.Fatalf("revision %d after %d", c.Revision, last)
		}
		last = c.Revision
		for _, ch := range c.Changes {
			seen[string(ch.Key)] = true
		}
	}
}

// A member cut off from the others still answers a watch's progress
// requests; the stream must not call itself current then. With two of
// three members killed, Heard stops moving on, so /auth stops trusting
// the caches fed by it.
func TestHeardAgesWhenQuorumIsLost(t *testing.T) {
	cluster := testkit.StartEtcdCluster(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, etcd.Options{Endpoints: cluster.Endpoints()[:1], DialTimeout: 2 * time.Second, ProgressInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := b.Changes(ctx, putOne(t, b, "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	age := func() time.Duration { _, at := s.Heard(); return time.Since(at) }
	testkit.Eventually(t, 10*time.Second, "the stream heard from a healthy cluster", func() bool {
		return age() < 300*time.Millisecond
	})

	cluster.Members[1].Kill()
	cluster.Members[2].Kill()
	testkit.Eventually(t, 20*time.Second, "the stream's last news ages past 1 s once quorum is gone", func() bool {
		return age() > time.Second
	})
}
