package memlimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
)

func TestLimitIsTheFloorUntilTheLiveHeapNeedsMore(t *testing.T) {
	const floor = 640 << 20
	for _, c := range []struct{ live, want uint64 }{
		{0, floor},
		{300 << 20, floor},
		{460 << 20, floor},        // 460 + 115 + 64 = 639 MiB
		{480 << 20, 664 << 20},    // 480 + 120 + 64
		{4 << 30, 5<<30 + 64<<20}, // a heap far above the floor: a quarter above it
	} {
		if got := For(floor, c.live); got != c.want {
			t.Errorf("For(640 MiB, %d MiB) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}

// The keeper follows the live heap up and back down to the floor, sets
// the limit only when it changes, and gives back the limit it found.
func TestKeeperFollowsTheLiveHeapAndRestoresTheLimit(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	var mu sync.Mutex
	live := uint64(100 << 20)
	limit := int64(12345)
	var sets []int64
	changed := make(chan struct{}, 16)
	k := Keeper{Floor: 640 << 20, Clock: clk, Every: time.Second,
		Live: func() uint64 { mu.Lock(); defer mu.Unlock(); return live },
		Set: func(n int64) int64 {
			mu.Lock()
			defer mu.Unlock()
			prev := limit
			if n >= 0 {
				limit = n
				sets = append(sets, n)
				changed <- struct{}{}
			}
			return prev
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	tick := func(l uint64) {
		waiting(t, clk)
		mu.Lock()
		live = l
		mu.Unlock()
		clk.Advance(time.Second)
	}
	<-changed       // the floor, at once
	tick(100 << 20) // unchanged: no call
	tick(800 << 20)
	<-changed
	tick(200 << 20)
	<-changed
	waiting(t, clk)
	cancel()
	<-done
	want := []int64{640 << 20, 1064 << 20, 640 << 20, 12345}
	mu.Lock()
	defer mu.Unlock()
	if len(sets) != len(want) {
		t.Fatalf("limits set %v, want %v", sets, want)
	}
	for i := range want {
		if sets[i] != want[i] {
			t.Fatalf("limits set %v, want %v", sets, want)
		}
	}
}

// waiting waits until the keeper waits for its next look.
func waiting(t *testing.T, clk *clock.Fake) {
	testkit.Eventually(t, 10*time.Second, "the keeper's timer", func() bool { return clk.Waiters() > 0 })
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"640MiB": 640 << 20, "1GiB": 1 << 30, "800MB": 800e6, "4096": 4096, "off": 0, "0": 0, " 2 GiB ": 2 << 30} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1MiB", "1.5GiB", "99999999999999999GiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}
