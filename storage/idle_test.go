package storage

import (
	"errors"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func TestUntilIdleRetiresTheOldKeyOnceQuiet(t *testing.T) {
	onBoth(t, testUntilIdleRetiresOnceQuiet)
}

func testUntilIdleRetiresOnceQuiet(t *testing.T, s *Store, clk *clock.Fake) {
	addAdmins(t, s, "ops@example.com")
	old, oldTok := mustCreate(t, s, "ci")
	seen := map[string]time.Time{}
	s.SetLastSeen(func(id string) time.Time { return seen[id] })
	newKey, _, err := s.RotateUntilIdle("tester", old.ID, 15*time.Minute, 7*model.Day)
	if err != nil {
		t.Fatal(err)
	}
	if next, ok, _ := s.NextDue(); !ok || !next.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("next due %v, want the idle deadline", next)
	}
	clk.Advance(10 * time.Minute)
	seen[old.ID] = clk.Now() // seen by /auth, not yet flushed
	clk.Advance(10 * time.Minute)
	if n, err := s.ApplyDue(clk.Now()); err != nil || n != 0 {
		t.Fatalf("ApplyDue 20 min in = %d, %v: the key was seen 10 min ago", n, err)
	}
	if next, _, _ := s.NextDue(); !next.Equal(t0.Add(25 * time.Minute)) {
		t.Fatalf("next due %v, want 15 min after the last sighting", next)
	}
	clk.Advance(5 * time.Minute)
	if n, err := s.ApplyDue(clk.Now()); err != nil || n != 1 {
		t.Fatalf("ApplyDue 25 min in = %d, %v", n, err)
	}
	if _, err := s.Authenticate(oldTok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("retired key authenticates: %v", err)
	}
	if _, err := s.Get(newKey.ID); err != nil {
		t.Fatal(err)
	}
	mails := mailsOfKind(t, s, model.NotifyRetiredIdle)
	if len(mails) != 1 || mails[0].KeyID != old.ID || mails[0].Idle != 15*time.Minute {
		t.Fatalf("retirement mails: %+v", mails)
	}
	if n, _ := s.ApplyDue(clk.Now().Add(time.Hour)); n != 0 {
		t.Fatal("retired twice")
	}
	checkInvariants(t, s)
	checkMailMatchesAudit(t, s)
}

func TestUntilIdleNeverOutlivesItsMax(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		old, oldTok := mustCreate(t, s, "busy")
		seen := map[string]time.Time{}
		s.SetLastSeen(func(id string) time.Time { return seen[id] })
		if _, _, err := s.RotateUntilIdle("tester", old.ID, time.Hour, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		for range 11 { // busy every 10 minutes
			clk.Advance(10 * time.Minute)
			seen[old.ID] = clk.Now()
			if n, _ := s.ApplyDue(clk.Now()); n != 0 {
				t.Fatalf("retired at %v while busy", clk.Now().Sub(t0))
			}
		}
		clk.Set(t0.Add(2 * time.Hour))
		if _, err := s.Authenticate(oldTok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("at its max the old key still authenticates: %v", err)
		}
		if n, err := s.ApplyDue(clk.Now()); err != nil || n != 1 {
			t.Fatalf("ApplyDue at the max = %d, %v", n, err)
		}
		checkInvariants(t, s)
	})
}

func TestUntilIdleSurvivesRestartJudgedFromStoredLastUse(t *testing.T) {
	s, clk := openTest(t)
	old, _ := mustCreate(t, s, "ci")
	if _, _, err := s.RotateUntilIdle("tester", old.ID, 15*time.Minute, model.Day); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	must(t, s.RecordLastUsed(map[string]time.Time{old.ID: clk.Now()}))
	s = reopen(t, s, clk)
	clk.Advance(14 * time.Minute)
	if n, _ := s.ApplyDue(clk.Now()); n != 0 {
		t.Fatal("retired 14 min after its flushed last use")
	}
	clk.Advance(time.Minute)
	if n, _ := s.ApplyDue(clk.Now()); n != 1 {
		t.Fatal("not retired 15 min after its flushed last use")
	}
}
