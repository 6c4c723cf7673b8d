package storage

import (
	"errors"
	"github.com/keyrack/keyrack/clock"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func TestDisableRefusesAtOnceAndEnableRestores(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		addAdmins(t, s, "ops@example.com")
		k, tok := mustCreate(t, s, "ci")
		got, err := s.Disable("tester", k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status(clk.Now()) != model.StatusDisabled {
			t.Fatalf("status %q, want disabled", got.Status(clk.Now()))
		}
		if _, err := s.Authenticate(tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("disabled key authenticates: %v", err)
		}
		stored, _ := s.Get(k.ID)
		if !stored.Disabled || stored.Permissions != k.Permissions {
			t.Fatalf("stored %+v", stored)
		}
		if revealed, err := s.Reveal("tester", k.ID); err != nil || revealed.Reveal() != tok.Reveal() {
			t.Fatalf("a disabled key keeps its secret: %v", err)
		}
		if _, err := s.Enable("tester", k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(tok, clk.Now()); err != nil {
			t.Fatalf("enabled key refused: %v", err)
		}
		wantActions(t, s, model.ActionDisable, model.ActionReveal, model.ActionEnable)
		wantMailKinds(t, s, model.NotifyDisabled, model.NotifyEnabled)
		checkInvariants(t, s)
	})
}

func TestDisableRefusesLastEnabledActiveKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		other, _ := mustCreate(t, s, "other")
		if _, err := s.Disable("tester", other.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Disable("tester", def.ID)
		if !errors.Is(err, ErrLastActiveKey) || Code(err) != "last_non_expiring_api_key" {
			t.Fatalf("disable the last enabled key: %v", err)
		}
		// A disabled key does not count as active for delete either.
		if err := s.Delete("tester", def.ID); !errors.Is(err, ErrLastActiveKey) {
			t.Fatalf("delete the last enabled key: %v", err)
		}
		checkInvariants(t, s)
	})
}

func TestDisabledKeyCannotBeRotated(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		k, _ := mustCreate(t, s, "ci")
		if _, err := s.Disable("tester", k.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Rotate("tester", k.ID, 0); !errors.Is(err, ErrDisabled) {
			t.Fatalf("rotate disabled: %v", err)
		}
	})
}

func TestDisableSurvivesReopen(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		k, tok := mustCreate(t, s, "ci")
		if _, err := s.Disable("tester", k.ID); err != nil {
			t.Fatal(err)
		}
		s = reopen(t, s, clk)
		if _, err := s.Authenticate(tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("disabled key authenticates after reopen: %v", err)
		}
	})
}

// wantActions checks the newest audit records, oldest first.
func wantActions(t testing.TB, s *Store, actions ...string) {
	t.Helper()
	audit, err := s.Audit(len(actions))
	must(t, err)
	for i, want := range actions {
		if got := audit[len(actions)-1-i].Action; got != want {
			t.Fatalf("audit record %d: %q, want %q", i, got, want)
		}
	}
}

// wantMailKinds checks the newest mails, oldest first.
func wantMailKinds(t testing.TB, s *Store, kinds ...model.NotificationKind) {
	t.Helper()
	out, err := s.Outbox(len(kinds))
	must(t, err)
	if len(out) != len(kinds) {
		t.Fatalf("%d mails, want %d", len(out), len(kinds))
	}
	for i, want := range kinds {
		if got := out[len(kinds)-1-i].Kind; got != want {
			t.Fatalf("mail %d: %q, want %q", i, got, want)
		}
	}
}
