package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestReminderBoundKeepsWhatTheFeedAppliedDuringItsComputation(t *testing.T) {
	var b reminderBound
	if _, known := b.get(); known {
		t.Fatal("a new bound is known")
	}
	at, err := b.compute(func() (time.Time, error) {
		b.lower(t0.Add(time.Hour)) // a commit applied while the keys are read
		return t0.Add(2 * time.Hour), nil
	})
	if got, known := b.get(); err != nil || !known || !got.Equal(t0.Add(time.Hour)) || !at.Equal(got) {
		t.Fatalf("after a computation overlapping a commit: %v %v (returned %v, %v), want the commit's hour", got, known, at, err)
	}
	b.lower(t0.Add(30 * time.Minute))
	b.lower(t0.Add(3 * time.Hour))
	b.lower(time.Time{})
	if got, _ := b.get(); !got.Equal(t0.Add(30 * time.Minute)) {
		t.Fatalf("lowered to %v, want 30 minutes", got)
	}

	b.compute(func() (time.Time, error) {
		b.forget() // the configuration changed while the keys were read
		return t0.Add(time.Hour), nil
	})
	if _, known := b.get(); known {
		t.Fatal("a computation overlapping forget was kept")
	}
	if _, err := b.compute(func() (time.Time, error) { return time.Time{}, errors.New("read failed") }); err == nil {
		t.Fatal("the scan's error was not returned")
	}
	if _, known := b.get(); known {
		t.Fatal("a failed computation was kept")
	}
}

// The scheduler asks for the next reminder after every commit; the bound
// answers it without reading the keys, and must still follow every commit.
func TestNextReminderFollowsCommitsThroughTheBound(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	withReminders(s)
	_, err := s.Keys() // load the caches, as serve does before it serves HTTP
	must(t, err)
	create := func(name string, life time.Duration) model.Key {
		t.Helper()
		k, _, err := s.CreateKey("tester", CreateOptions{Name: name, Permissions: model.AllPermissions(), Lifetime: life})
		must(t, err)
		return k
	}
	next := func() time.Time {
		t.Helper()
		at, ok, err := s.NextDue()
		must(t, err)
		if !ok {
			t.Fatal("nothing due")
		}
		return at
	}
	late := create("late", 30*model.Day)
	if got, want := next(), late.ExpiresAt.Add(-7*model.Day); !got.Equal(want) {
		t.Fatalf("next due %v, want 7 days before the 30-day key's expiry %v", got, want)
	}
	soon := create("soon", 10*model.Day)
	if got, want := next(), soon.ExpiresAt.Add(-7*model.Day); !got.Equal(want) {
		t.Fatalf("after a key expiring sooner: next due %v, want %v", got, want)
	}
	must(t, s.Delete("tester", soon.ID))
	// The bound may stay early after the delete; the wake it causes mails
	// nothing and finds the next reminder of the keys that remain.
	clk.Set(next())
	must(t, errOf(s.ApplyDue(clk.Now())))
	if n := len(mailsOfKind(t, s, model.NotifyReminder)); n != 0 {
		t.Fatalf("%d reminders for a deleted key", n)
	}
	if got, want := next(), late.ExpiresAt.Add(-7*model.Day); !got.Equal(want) {
		t.Fatalf("after the deleted key's wake: next due %v, want %v", got, want)
	}
	// A reminder due by the bound is mailed once, and the next one follows.
	clk.Set(late.ExpiresAt.Add(-7 * model.Day))
	must(t, errOf(s.ApplyDue(clk.Now())))
	if n := len(mailsOfKind(t, s, model.NotifyReminder)); n != 1 {
		t.Fatalf("%d reminders 7 days before, want 1", n)
	}
	if got, want := next(), late.ExpiresAt.Add(-model.Day); !got.Equal(want) {
		t.Fatalf("after the 7-day reminder: next due %v, want the 1-day one %v", got, want)
	}
	// A new configuration is followed at once.
	s.SetReminders(Reminders{Before: []time.Duration{2 * model.Day}})
	if got, want := next(), late.ExpiresAt.Add(-2*model.Day); !got.Equal(want) {
		t.Fatalf("after new thresholds: next due %v, want %v", got, want)
	}
}
