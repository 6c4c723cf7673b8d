package storage

import (
	"github.com/keyrack/keyrack/clock"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestWatchTellsWhatEachCommitDid(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		sub := s.Watch()
		defer sub.Close()
		k, _ := mustCreate(t, s, "one")
		<-sub.C()
		ev := sub.Events()
		if len(ev) != 1 || ev[0].Action != model.ActionCreate || ev[0].KeyID != k.ID || ev[0].Count != 1 || ev[0].Actor != "tester" {
			t.Fatalf("after a create: %+v", ev)
		}
		_, _, err := s.CreateMany("bulk", []string{"a", "b", "c"}, model.AllPermissions())
		must(t, err)
		_, err = s.AddMember("tester", "ada@example.com", model.RoleAdmin, nil)
		must(t, err)
		<-sub.C()
		ev = sub.Events()
		if len(ev) != 2 || ev[0].Count != 3 || ev[0].KeyID != "" || ev[1].Member != "ada@example.com" || ev[1].Action != model.ActionMemberAdd {
			t.Fatalf("after a bulk create and a member: %+v", ev)
		}
		if ev := sub.Events(); len(ev) != 0 {
			t.Fatalf("events twice: %+v", ev)
		}
	})
}

func TestWatchDropsOldEventsAndSaysSo(t *testing.T) {
	s, _ := openTest(t)
	sub := s.Watch()
	defer sub.Close()
	for i := 0; i < maxPendingEvents+10; i++ {
		mustCreate(t, s, "k")
	}
	ev := sub.Events()
	if len(ev) != maxPendingEvents+1 || !ev[0].Lost || ev[1].Lost {
		t.Fatalf("%d events, first %+v", len(ev), ev[0])
	}
}

func TestWatchEndsWhenTheStoreCloses(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		sub := s.Watch()
		s.Close()
		if _, open := <-sub.C(); open {
			t.Fatal("subscription open after Close")
		}
		sub.Close()
		if s.Subscribers() != 0 {
			t.Fatal("subscription left behind")
		}
	})
}

func TestPendingMailIsKeptAcrossSendsAndRestarts(t *testing.T) {
	s, clk := openTest(t)
	_, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, nil)
	must(t, err)
	mustCreate(t, s, "a")
	mustCreate(t, s, "b")
	if s.PendingMail() != 2 {
		t.Fatalf("PendingMail() = %d, want 2", s.PendingMail())
	}
	pending, err := s.PendingMails()
	must(t, err)
	must(t, s.MarkSent(pending[0].ID, clk.Now()))
	must(t, s.MarkSent(pending[0].ID, clk.Now())) // twice: counted once
	must(t, s.MarkFailed(pending[1].ID, "refused", clk.Now().Add(time.Minute)))
	if s.PendingMail() != 1 {
		t.Fatalf("PendingMail() = %d after one sent, want 1", s.PendingMail())
	}
	path := s.Path()
	s.Close()
	s2, err := Open(path, Options{Clock: clk})
	must(t, err)
	defer s2.Close()
	if s2.PendingMail() != 1 {
		t.Fatalf("after a restart PendingMail() = %d, want 1", s2.PendingMail())
	}
}

func TestIndexesAddedLaterAreBuiltAtOpen(t *testing.T) {
	s, clk := openTest(t)
	_, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, nil)
	must(t, err)
	mustCreate(t, s, "a")
	asVersion1(t, s)
	path := s.Path()
	s.Close()
	s2, err := Open(path, Options{Clock: clk})
	must(t, err)
	defer s2.Close()
	if pending, _ := s2.PendingMails(); s2.PendingMail() != 1 || len(pending) != 1 {
		t.Fatalf("PendingMail() = %d, PendingMails() = %d, want 1", s2.PendingMail(), len(pending))
	}
	checkInvariants(t, s2)
}
