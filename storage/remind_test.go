package storage

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func withReminders(s *Store) *Store {
	s.SetReminders(Reminders{Before: DefaultRemindBefore, Command: "ssh -p 23234 keys.example.com"})
	return s
}

// restartable opens a store on each backend with a way to restart it (a
// new process on the same file, or on the same etcd prefix).
func restartable(t *testing.T, test func(t *testing.T, s *Store, clk *clock.Fake, restart func(*Store) *Store)) {
	t.Run("bolt", func(t *testing.T) {
		s, clk := openTest(t)
		test(t, s, clk, func(s *Store) *Store { return reopen(t, s, clk) })
	})
	t.Run("etcd", func(t *testing.T) {
		clk := clock.NewFake(t0)
		prefix := newEtcdPrefix()
		s := openEtcd(t, prefix, Options{Clock: clk, Org: "Acme"})
		test(t, s, clk, func(s *Store) *Store {
			must(t, s.Close())
			return openEtcd(t, prefix, Options{Clock: clk})
		})
	})
}

func TestRemindersAtEachThresholdExactlyOnceAcrossARestart(t *testing.T) {
	restartable(t, testRemindersAcrossARestart)
}

func testRemindersAcrossARestart(t *testing.T, s *Store, clk *clock.Fake, restart func(*Store) *Store) {
	addAdmins(t, s, "ops@example.com")
	withReminders(s)
	k, _, err := s.CreateKey("tester", CreateOptions{Name: "temp", Permissions: model.AllPermissions(), Lifetime: 30 * model.Day})
	if err != nil {
		t.Fatal(err)
	}
	expiry := k.ExpiresAt
	step := func(at time.Time, want int) {
		t.Helper()
		clk.Set(at)
		if _, err := s.ApplyDue(clk.Now()); err != nil {
			t.Fatal(err)
		}
		if got := len(mailsOfKind(t, s, model.NotifyReminder)); got != want {
			t.Fatalf("at %s before the expiry: %d reminders, want %d", expiry.Sub(at), got, want)
		}
	}
	if next, _, _ := s.NextDue(); !next.Equal(expiry.Add(-7 * model.Day)) {
		t.Fatalf("next due %v, want 7 days before the expiry", next)
	}
	step(expiry.Add(-7*model.Day-time.Second), 0)
	step(expiry.Add(-7*model.Day), 1)
	step(expiry.Add(-3*model.Day), 1)
	s = withReminders(restart(s)) // a restart remembers the 7-day reminder
	step(expiry.Add(-3*model.Day), 1)
	step(expiry.Add(-model.Day), 2)
	s = withReminders(restart(s))
	step(expiry.Add(-model.Day+time.Minute), 2)
	step(expiry.Add(-time.Hour), 3)
	step(expiry.Add(-time.Minute), 3)

	last := mailsOfKind(t, s, model.NotifyReminder)[0] // newest first
	if last.KeyID != k.ID || !last.ExpiresAt.Equal(expiry) || last.Command != "ssh -p 23234 keys.example.com" {
		t.Fatalf("reminder %+v", last)
	}
	checkMailMatchesAudit(t, s)
}

func TestNoReminderForAThresholdPassedWhenTheExpiryWasSet(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	withReminders(s)
	k, _ := mustCreate(t, s, "ci")
	if _, _, err := s.Rotate("tester", k.ID, 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	must(t, errOf(s.ApplyDue(clk.Now())))
	if n := len(mailsOfKind(t, s, model.NotifyReminder)); n != 0 {
		t.Fatalf("%d reminders for thresholds already behind at the rotation", n)
	}
	clk.Advance(11 * time.Hour)
	must(t, errOf(s.ApplyDue(clk.Now())))
	if n := len(mailsOfKind(t, s, model.NotifyReminder)); n != 1 {
		t.Fatalf("%d reminders an hour before, want 1", n)
	}
}

func TestRemindersFallingDueTogetherGoInOneMail(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ops@example.com")
	withReminders(s)
	for i := range 3 {
		if _, _, err := s.CreateKey("tester", CreateOptions{Name: "k" + strings.Repeat("x", i), Permissions: model.AllPermissions(), Lifetime: 2 * model.Day}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(model.Day)
	must(t, errOf(s.ApplyDue(clk.Now())))
	mails := mailsOfKind(t, s, model.NotifyReminder)
	if len(mails) != 1 || mails[0].Count != 3 || len(mails[0].Keys) != 3 || mails[0].Keys[0].ExpiresAt.IsZero() {
		t.Fatalf("reminder mails: %+v", mails)
	}
	checkMailMatchesAudit(t, s)
}

func errOf(_ int, err error) error { return err }
