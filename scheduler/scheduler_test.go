package scheduler

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// recordingClock is a fake clock that remembers the delays of the timers
// armed on it, so a test can see what the scheduler sleeps on.
type recordingClock struct {
	*clock.Fake
	mu    sync.Mutex
	armed []time.Duration
}

func (c *recordingClock) After(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	c.armed = append(c.armed, d)
	c.mu.Unlock()
	return c.Fake.After(d)
}

func (c *recordingClock) lastArmed() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.armed) == 0 {
		return 0, false
	}
	return c.armed[len(c.armed)-1], true
}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "keyrack.db") }

func openStore(t *testing.T, path string, clk clock.Clock) *storage.Store {
	t.Helper()
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(path, storage.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// start runs the scheduler until the test ends and returns what Run returned.
func start(t *testing.T, st Store, clk clock.Clock) (cancel func(), done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch, finished := make(chan error, 1), make(chan struct{})
	go func() {
		ch <- Run(ctx, st, clk, nil)
		close(finished)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context was cancelled")
		}
	})
	return cancel, ch
}

// stop cancels a scheduler that start runs and waits until its Run has
// returned.
func stop(t *testing.T, cancel func(), done <-chan error) {
	t.Helper()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// waitFor waits until cond holds; the deadline is generous, only a hang fails.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.Eventually(t, 10*time.Second, what, cond)
}

func waitArmed(t *testing.T, fake *clock.Fake) {
	t.Helper()
	waitFor(t, "the scheduler armed its timer", func() bool { return fake.Waiters() > 0 })
}

func createKey(t *testing.T, st *storage.Store, name string) model.Key {
	t.Helper()
	k, _, err := st.Create("tester", name, model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rotate schedules the rotation of k and returns the new key.
func rotate(t *testing.T, st *storage.Store, k model.Key, delay time.Duration) model.Key {
	t.Helper()
	nk, _, err := st.Rotate("tester", k.ID, delay)
	if err != nil {
		t.Fatal(err)
	}
	return nk
}

func listed(t *testing.T, st *storage.Store) map[string]bool {
	t.Helper()
	keys, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, k := range keys {
		ids[k.ID] = true
	}
	return ids
}

func gone(t *testing.T, st *storage.Store, k model.Key) func() bool {
	return func() bool { return !listed(t, st)[k.ID] }
}

// expiries returns the keys of the audit's expire records, oldest first.
func expiries(t *testing.T, st *storage.Store) []string {
	t.Helper()
	entries, err := st.Audit(0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range slices.Backward(entries) {
		if e.Action == model.ActionExpire {
			ids = append(ids, e.KeyID)
		}
	}
	return ids
}

func expectListed(t *testing.T, st *storage.Store, present []model.Key, absent []model.Key) {
	t.Helper()
	ids := listed(t, st)
	for _, k := range present {
		if !ids[k.ID] {
			t.Errorf("key %s (%s) is gone too early", k.ID, k.Name)
		}
	}
	for _, k := range absent {
		if ids[k.ID] {
			t.Errorf("key %s (%s) is still listed", k.ID, k.Name)
		}
	}
}

func TestExpiriesAreAppliedAtTheirTimeEarliestFirst(t *testing.T) {
	fake := clock.NewFake(t0)
	st := openStore(t, dbPath(t), fake)
	a, b, c := createKey(t, st, "a"), createKey(t, st, "b"), createKey(t, st, "c")
	rotate(t, st, a, 3*time.Hour)
	rotate(t, st, b, time.Hour)
	rotate(t, st, c, 2*time.Hour)
	start(t, st, fake)

	waitArmed(t, fake)
	fake.Advance(time.Hour - time.Second)
	waitArmed(t, fake)
	expectListed(t, st, []model.Key{a, b, c}, nil)

	fake.Advance(time.Second)
	waitFor(t, "b expired at +1h", gone(t, st, b))
	expectListed(t, st, []model.Key{a, c}, []model.Key{b})

	waitArmed(t, fake)
	fake.Advance(time.Hour)
	waitFor(t, "c expired at +2h", gone(t, st, c))
	expectListed(t, st, []model.Key{a}, []model.Key{b, c})

	waitArmed(t, fake)
	fake.Advance(time.Hour)
	waitFor(t, "a expired at +3h", gone(t, st, a))

	if got, want := expiries(t, st), []string{b.ID, c.ID, a.ID}; !slices.Equal(got, want) {
		t.Errorf("expire records %v, want %v (b, c, a)", got, want)
	}
	entries, _ := st.Audit(0)
	for _, e := range entries {
		if e.Action != model.ActionExpire {
			continue
		}
		want := map[string]time.Time{a.ID: t0.Add(3 * time.Hour), b.ID: t0.Add(time.Hour), c.ID: t0.Add(2 * time.Hour)}[e.KeyID]
		if !e.At.Equal(want) || e.Actor != storage.SchedulerActor {
			t.Errorf("expire of %s recorded at %s by %q, want %s by %q", e.KeyID, e.At, e.Actor, want, storage.SchedulerActor)
		}
	}
	if n := len(listed(t, st)); n != 4 { // Default and the three new keys
		t.Errorf("%d keys listed, want 4", n)
	}
}

func TestSchedulerSleepsWithoutATimerWhenNothingExpires(t *testing.T) {
	fake := &recordingClock{Fake: clock.NewFake(t0)}
	st := openStore(t, dbPath(t), fake)
	_, done := start(t, st, fake)
	waitFor(t, "the scheduler subscribed", func() bool { return st.Subscribers() > 0 })

	k := createKey(t, st, "later")
	rotate(t, st, k, 24*time.Hour)
	waitArmed(t, fake.Fake)
	if d, _ := fake.lastArmed(); d != 24*time.Hour {
		t.Errorf("armed for %s, want 24h", d)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned early: %v", err)
	default:
	}
}

func TestSchedulerRearmsWhenAnEarlierExpiryIsScheduled(t *testing.T) {
	fake := &recordingClock{Fake: clock.NewFake(t0)}
	st := openStore(t, dbPath(t), fake)
	late, early := createKey(t, st, "late"), createKey(t, st, "early")
	rotate(t, st, late, 7*24*time.Hour)
	start(t, st, fake)
	waitArmed(t, fake.Fake)
	if d, _ := fake.lastArmed(); d != 7*24*time.Hour {
		t.Fatalf("armed for %s, want 7d", d)
	}

	rotate(t, st, early, time.Hour)
	waitFor(t, "the scheduler re-armed for 1h", func() bool {
		d, _ := fake.lastArmed()
		return d == time.Hour && fake.Waiters() == 1
	})
	fake.Advance(time.Hour)
	waitFor(t, "the early key expired", gone(t, st, early))
	expectListed(t, st, []model.Key{late}, []model.Key{early})

	waitFor(t, "the scheduler re-armed for the late key", func() bool {
		d, _ := fake.lastArmed()
		return d == 7*24*time.Hour-time.Hour && fake.Waiters() == 1
	})
	fake.Advance(7*24*time.Hour - time.Hour)
	waitFor(t, "the late key expired", gone(t, st, late))
	if got, want := expiries(t, st), []string{early.ID, late.ID}; !slices.Equal(got, want) {
		t.Errorf("expire records %v, want %v", got, want)
	}
}

func TestSchedulerCatchesUpOnStartWithExpiriesAlreadyDue(t *testing.T) {
	fake := clock.NewFake(t0)
	st := openStore(t, dbPath(t), fake)
	a, b, c := createKey(t, st, "a"), createKey(t, st, "b"), createKey(t, st, "c")
	rotate(t, st, a, time.Hour)
	rotate(t, st, b, 2*time.Hour)
	rotate(t, st, c, 5*time.Hour)
	fake.Advance(3 * time.Hour) // nothing runs: a and b fall due unseen
	expectListed(t, st, []model.Key{a, b, c}, nil)

	start(t, st, fake) // no Advance after this: the catch-up happens by itself
	waitFor(t, "the overdue keys expired", func() bool { return !listed(t, st)[a.ID] && !listed(t, st)[b.ID] })
	expectListed(t, st, []model.Key{c}, []model.Key{a, b})

	entries, _ := st.Audit(0)
	for _, e := range entries {
		if e.Action == model.ActionExpire && !e.At.Equal(t0.Add(3*time.Hour)) {
			t.Errorf("catch-up expire of %s recorded at %s, want %s", e.KeyID, e.At, t0.Add(3*time.Hour))
		}
	}
	if got, want := expiries(t, st), []string{a.ID, b.ID}; !slices.Equal(got, want) {
		t.Errorf("expire records %v, want %v", got, want)
	}
}

func TestExpiriesDueWhileClosedAreAppliedOnceAfterReopening(t *testing.T) {
	fake := clock.NewFake(t0)
	path := dbPath(t)
	st := openStore(t, path, fake)
	a, b := createKey(t, st, "a"), createKey(t, st, "b")
	rotate(t, st, a, time.Hour)
	rotate(t, st, b, 5*time.Hour)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	fake.Advance(2 * time.Hour)
	st = openStore(t, path, fake)
	expectListed(t, st, []model.Key{b}, []model.Key{a})

	start(t, st, fake)
	waitArmed(t, fake)
	fake.Advance(3 * time.Hour)
	waitFor(t, "b expired", gone(t, st, b))

	if got, want := expiries(t, st), []string{a.ID, b.ID}; !slices.Equal(got, want) {
		t.Errorf("expire records %v, want exactly one for a then one for b %v", got, want)
	}
}

func TestNothingIsAppliedTwice(t *testing.T) {
	fake := clock.NewFake(t0)
	st := openStore(t, dbPath(t), fake)
	var keys []model.Key
	for i := range 6 {
		k := createKey(t, st, "k")
		rotate(t, st, k, time.Duration(i%3+1)*time.Hour) // pairs fall due together
		keys = append(keys, k)
	}
	// Two schedulers on one store, as a dashboard and serve-over-SSH would
	// share it in one process, plus an admin ending a grace period by hand.
	cancelA, doneA := start(t, st, fake)
	cancelB, doneB := start(t, st, fake)
	if err := st.Expire("admin", keys[5].ID); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		waitFor(t, "both schedulers armed", func() bool { return fake.Waiters() >= 2 })
		fake.Advance(time.Hour)
	}
	waitFor(t, "every key expired", func() bool { return len(listed(t, st)) == 7 })
	fake.Advance(time.Hour)
	// A pass still running ends before Run returns: a double apply it
	// makes is recorded once both have returned.
	stop(t, cancelA, doneA)
	stop(t, cancelB, doneB)

	count := map[string]int{}
	for _, id := range expiries(t, st) {
		count[id]++
	}
	for _, k := range keys {
		if count[k.ID] != 1 {
			t.Errorf("key %s has %d expire records, want 1", k.ID, count[k.ID])
		}
	}
	if len(count) != len(keys) {
		t.Errorf("expire records for %d keys, want %d", len(count), len(keys))
	}
}

func TestRunReturnsWhenItsContextIsCancelled(t *testing.T) {
	fake := clock.NewFake(t0)
	st := openStore(t, dbPath(t), fake)
	rotate(t, st, createKey(t, st, "k"), time.Hour)
	cancel, done := start(t, st, fake)
	waitArmed(t, fake)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	waitFor(t, "the timer was stopped", func() bool { return fake.Waiters() == 0 })
	if n := st.Subscribers(); n != 0 {
		t.Errorf("%d subscriptions left open", n)
	}
}

func TestRunReturnsWhenTheStoreCloses(t *testing.T) {
	fake := clock.NewFake(t0)
	st := openStore(t, dbPath(t), fake)
	_, done := start(t, st, fake)
	waitFor(t, "the scheduler subscribed", func() bool { return st.Subscribers() > 0 })
	st.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the store closed")
	}
}

// flakyStore fails its first ApplyDue calls, then works like the real store.
type flakyStore struct {
	*storage.Store
	mu       sync.Mutex
	failures int
}

func (f *flakyStore) ApplyDue(now time.Time) (int, error) {
	f.mu.Lock()
	fail := f.failures > 0
	if fail {
		f.failures--
	}
	f.mu.Unlock()
	if fail {
		return 0, errors.New("disk on fire")
	}
	return f.Store.ApplyDue(now)
}

func TestSchedulerRetriesAfterAStorageError(t *testing.T) {
	fake := &recordingClock{Fake: clock.NewFake(t0)}
	st := openStore(t, dbPath(t), fake)
	k := createKey(t, st, "k")
	rotate(t, st, k, time.Hour)
	fake.Advance(2 * time.Hour)

	start(t, &flakyStore{Store: st, failures: 1}, fake)
	waitArmed(t, fake.Fake)
	if d, _ := fake.lastArmed(); d != retryAfter {
		t.Fatalf("after an error the scheduler armed %s, want %s", d, retryAfter)
	}
	expectListed(t, st, []model.Key{k}, nil)
	fake.Advance(retryAfter)
	waitFor(t, "the key expired on the retry", gone(t, st, k))
}

// staleStore reports an expiry that ApplyDue never retires, as a damaged
// expiry index would.
type staleStore struct {
	*storage.Store // for Watch
	due            time.Time
	mu             sync.Mutex
	applied        int
}

func (s *staleStore) ApplyDue(time.Time) (int, error) {
	s.mu.Lock()
	s.applied++
	s.mu.Unlock()
	return 0, nil
}
func (s *staleStore) NextDue() (time.Time, bool, error) { return s.due, true, nil }

func TestSchedulerDoesNotSpinOnAnExpiryItCannotApply(t *testing.T) {
	fake := &recordingClock{Fake: clock.NewFake(t0)}
	st := &staleStore{Store: openStore(t, dbPath(t), fake), due: t0.Add(-time.Minute)}
	start(t, st, fake)
	waitArmed(t, fake.Fake)
	if d, _ := fake.lastArmed(); d != retryAfter {
		t.Errorf("armed %s for an expiry that stays due, want the retry delay %s", d, retryAfter)
	}
	// Armed, it sleeps until the clock moves: it has made all its calls.
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.applied != 1 {
		t.Errorf("ApplyDue called %d times without the clock moving, want 1", st.applied)
	}
}
