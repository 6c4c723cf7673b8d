package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func TestRetryNowCallsRetryMailNow(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(2, now)
	s.outbox = []model.Notification{
		{ID: "3", Kind: model.NotifyDeleted, State: model.MailPending, Recipients: []string{"a@example.com"}, At: now},
		{ID: "2", Kind: model.NotifyRotated, State: model.MailFailed, Attempts: 2, LastError: "connection refused",
			NextAttemptAt: now.Add(time.Minute), Recipients: []string{"a@example.com"}, At: now.Add(-time.Minute)},
		{ID: "1", Kind: model.NotifyCreated, State: model.MailSent, Attempts: 1, SentAt: now, Recipients: []string{"a@example.com"}, At: now.Add(-2 * time.Minute)},
	}
	h := newHarness(t, s, clock.NewFake(now), 80, 24)
	h.wantScreen("2 mails waiting")
	h.pressLoaded("o")
	h.press("R")
	h.wantScreen("retrying 2 mails now")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retries != 1 {
		t.Fatalf("RetryMailNow called %d times, want 1", s.retries)
	}
}

func TestRetryNowMakesFailedMailDue(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("o")
	h.wantScreen("next try in 3m 50s")
	h.press("R")
	h.wantScreen("retrying 2 mails now")
	mails, err := s.Outbox(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := mails[1].NextAttemptAt; !got.Equal(clk.Now()) {
		t.Fatalf("failed mail next attempt %s, want now %s", got, clk.Now())
	}
	h.wantScreen("due now")
}

func TestReadMailShowsTheBodyAndNeverAToken(t *testing.T) {
	s, clk := openStore(t)
	if _, err := s.AddMember("x", "admin@example.com", model.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	k, created, err := s.Create("alice@example.com", "Deploy bot", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	_, rotated, err := s.Rotate("alice@example.com", k.ID, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := s.Reveal("test", mustKeys(t, s)[0].ID)
	tokens := []string{created.Reveal(), rotated.Reveal(), def.Reveal()}
	h := newHarness(t, s, clk, 60, 16)
	h.wantScreen("2 mails waiting")
	h.pressLoaded("o")
	for i, subject := range []string{`API key "Deploy bot" rotated; the old key`, `API key "Deploy bot" created`} {
		h.press("home")
		for range i {
			h.press("down")
		}
		h.press("enter")
		h.wantScreen(subject)
		h.wantScreen("Hello,")
		for range 5 { // every page of the body
			for _, tok := range tokens {
				if strings.Contains(h.screen(), tok) || strings.Contains(h.screen(), tok[len(tok)-12:]) {
					t.Fatalf("the mail view shows a token:\n%s", h.screen())
				}
			}
			h.press("pgdown")
		}
		if !strings.Contains(h.screen(), "Tokens are never sent by mail") {
			t.Fatalf("the end of the body is not reachable:\n%s", h.screen())
		}
		h.press("esc")
		if _, ok := h.m.pane.(*outboxView); !ok {
			t.Fatalf("esc should go back to the outbox:\n%s", h.screen())
		}
	}
}

func TestHeaderCountsWaitingMail(t *testing.T) {
	s, clk := openStore(t)
	if _, err := s.AddMember("x", "admin@example.com", model.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	if strings.Contains(h.screen(), "waiting") {
		t.Fatalf("no mail yet:\n%s", h.screen())
	}
	h.press("n", "Deploy bot", "enter", "enter", "enter")
	h.wantScreen("1 mail waiting")
	mails, _ := s.Outbox(0)
	if err := s.MarkSent(mails[0].ID, clk.Now()); err != nil {
		t.Fatal(err)
	}
	h.deliver(changedMsg{}) // what Run forwards from Subscribe
	h.waitFor("the count gone", func() bool { return !strings.Contains(h.screen(), "waiting") })
}
