package storage

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
)

// tick moves the fake clock one poll on once the compactor waits, and
// returns once it waits again: the poll it woke has run.
func tick(t *testing.T, clk *clock.Fake, d time.Duration) {
	t.Helper()
	testkit.Eventually(t, 5*time.Second, "the compactor waits on the clock", func() bool { return clk.Waiters() == 1 })
	clk.Advance(d)
	testkit.Eventually(t, 5*time.Second, "the compactor waits on the clock", func() bool { return clk.Waiters() == 1 })
}

func destroyedWaiting(t *testing.T, s *Store) int {
	t.Helper()
	n, err := s.DestroyedSecrets()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestServeCompactsWhenIdleWithDestroyedSecretsAtMostOnceAnHour(t *testing.T) {
	s, clk := openTest(t)
	a, _ := mustCreate(t, s, "a")
	b, _ := mustCreate(t, s, "b")
	if err := s.Delete("tester", a.ID); err != nil {
		t.Fatal(err)
	}
	if n := destroyedWaiting(t, s); n != 1 {
		t.Fatalf("%d destroyed secrets waiting, want 1", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.RunAutoCompact(ctx, AutoCompact{Clock: clk, Log: slog.New(slog.DiscardHandler), Idle: 10 * time.Minute, Every: time.Hour, Poll: time.Minute})
	}()
	defer func() { cancel(); <-done }()

	for range 5 {
		tick(t, clk, time.Minute)
	}
	mustCreate(t, s, "a change restarts the idle time")
	for range 10 {
		tick(t, clk, time.Minute)
		if destroyedWaiting(t, s) != 1 {
			t.Fatal("compacted before the store was idle for 10 minutes")
		}
	}
	tick(t, clk, time.Minute)
	if n := destroyedWaiting(t, s); n != 0 {
		t.Fatalf("idle for 10 minutes with a destroyed secret waiting: %d still waiting", n)
	}

	if err := s.Delete("tester", b.ID); err != nil {
		t.Fatal(err)
	}
	for range 50 { // idle again, but within the hour of the last compaction
		tick(t, clk, time.Minute)
		if destroyedWaiting(t, s) != 1 {
			t.Fatal("compacted twice within an hour")
		}
	}
	for range 10 {
		tick(t, clk, time.Minute)
	}
	if n := destroyedWaiting(t, s); n != 0 {
		t.Fatalf("an hour after the last compaction: %d still waiting", n)
	}
}
