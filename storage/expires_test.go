package storage

import (
	"errors"
	"github.com/keyrack/keyrack/clock"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestCreateWithLifetimeExpiresOnItsOwn(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		k, tok, err := s.CreateKey("tester", CreateOptions{Name: "temp", Permissions: model.AllPermissions(), Lifetime: 90 * model.Day})
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(90 * model.Day); !k.ExpiresAt.Equal(want) || k.Status(clk.Now()) != model.StatusExpiring {
			t.Fatalf("expires %v status %s, want %v expiring", k.ExpiresAt, k.Status(clk.Now()), want)
		}
		clk.Advance(90*model.Day - time.Second)
		if _, err := s.Authenticate(tok, clk.Now()); err != nil {
			t.Fatalf("a second before its expiry: %v", err)
		}
		clk.Advance(time.Second)
		if _, err := s.Authenticate(tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("at its expiry: %v", err)
		}
		if n, err := s.ApplyDue(clk.Now()); err != nil || n != 1 {
			t.Fatalf("ApplyDue = %d, %v", n, err)
		}
		checkInvariants(t, s)
	})
}

func TestPolicyBoundsNewKeys(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		must(t, s.SetMaxLifetime("tester", 366*model.Day))
		k, _, err := s.CreateKey("tester", CreateOptions{Name: "bounded", Permissions: model.AllPermissions()})
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(366 * model.Day); !k.ExpiresAt.Equal(want) {
			t.Fatalf("a new key under the policy expires %v, want %v", k.ExpiresAt, want)
		}
		_, _, err = s.CreateKey("tester", CreateOptions{Name: "too long", Permissions: model.AllPermissions(), Lifetime: 400 * model.Day})
		if err == nil || !strings.Contains(err.Error(), "beyond the policy's max lifetime of 366d") || strings.Contains(err.Error(), "key 1") {
			t.Fatalf("beyond the policy: %v", err)
		}
		if _, err := s.SetExpiry("tester", k.ID, 0); !errors.Is(err, ErrPolicy) {
			t.Fatalf("never under a policy: %v", err)
		}
		must(t, s.SetMaxLifetime("tester", 0))
		if p, _ := s.Policy(); p.MaxLifetime != 0 {
			t.Fatalf("policy after none: %+v", p)
		}
		if keys, _ := s.List(); len(keys) != 2 {
			t.Fatalf("%d keys; the refused one must not be stored", len(keys))
		}
		checkInvariants(t, s)
	})
}

func TestSetExpiryChangesAndClearsIt(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		addAdmins(t, s, "ops@example.com")
		k, tok := mustCreate(t, s, "ci")
		got, err := s.SetExpiry("tester", k.ID, time.Hour)
		if err != nil || !got.ExpiresAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("set: %v %v", got.ExpiresAt, err)
		}
		if _, err := s.SetExpiry("tester", k.ID, 0); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Hour)
		if _, err := s.ApplyDue(clk.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(tok, clk.Now()); err != nil {
			t.Fatalf("a key set to never expire was retired: %v", err)
		}
		wantMailKinds(t, s, model.NotifyExpiryChanged, model.NotifyExpiryChanged)
		checkInvariants(t, s)
	})
}

func TestSetExpiryRefusesLastActiveKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		if _, err := s.SetExpiry("tester", def.ID, time.Hour); !errors.Is(err, ErrLastActiveKey) {
			t.Fatalf("expiry on the last active key: %v", err)
		}
	})
}

func TestRotatingAKeyWithALifetimePassesItOn(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		old, _, err := s.CreateKey("tester", CreateOptions{Name: "temp", Permissions: model.AllPermissions(), Lifetime: 30 * model.Day})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(10 * model.Day)
		newKey, _, err := s.Rotate("tester", old.ID, 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if want := clk.Now().Add(30 * model.Day); !newKey.ExpiresAt.Equal(want) {
			t.Fatalf("successor expires %v, want %v", newKey.ExpiresAt, want)
		}
		if got, _ := s.Get(old.ID); !got.ExpiresAt.Equal(clk.Now().Add(48 * time.Hour)) {
			t.Fatalf("old key expires %v", got.ExpiresAt)
		}
		checkInvariants(t, s)
	})
}
