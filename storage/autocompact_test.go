package storage

import (
	"context"
	"log/slog"
	"strings"
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

// Bulk work that changed a good part of the keys is followed by a
// compaction once the store has been idle for AfterBulk, destroyed
// secrets or not (it packs the key records' pages again), and only one.
func TestServeCompactsSoonAfterBulkWork(t *testing.T) {
	s, clk := openTest(t)
	must(t, s.Preload()) // as serve does
	_, err := s.Import("tester", InOneBlock(lagoKeys(chunkMax+1)), nil)
	must(t, err)
	var log testkit.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.RunAutoCompact(ctx, AutoCompact{Clock: clk, Log: slog.New(slog.NewTextHandler(&log, nil)),
			Idle: 10 * time.Minute, Every: time.Hour, Poll: time.Minute, AfterBulk: time.Minute})
	}()
	defer func() { cancel(); <-done }()
	compactions := func() int { return strings.Count(log.String(), "compacted") }

	tick(t, clk, time.Minute) // sees the import's changes
	if n := compactions(); n != 0 {
		t.Fatalf("%d compactions right after the import", n)
	}
	tick(t, clk, time.Minute) // idle for a minute since
	if n := compactions(); n != 1 {
		t.Fatalf("%d compactions a minute after bulk work, want 1 (log: %s)", n, log.String())
	}
	for range 15 {
		tick(t, clk, time.Minute)
	}
	if n := compactions(); n != 1 {
		t.Fatalf("%d compactions after one bulk operation, want 1", n)
	}
}
