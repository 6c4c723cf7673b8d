package storage

import (
	"errors"
	"github.com/keyrack/keyrack/clock"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestDeleteRefusesLastActiveKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		err := s.Delete("tester", def.ID)
		if !errors.Is(err, ErrLastActiveKey) || Code(err) != "last_non_expiring_api_key" {
			t.Fatalf("delete last key: %v (code %q)", err, Code(err))
		}
		if !strings.Contains(err.Error(), "cannot delete the last active key") {
			t.Fatalf("message %q", err)
		}
		onlyKey(t, s)
	})
}

func TestDeleteRefusesLastActiveKeyEvenWithExpiringOnes(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		newKey, _, err := s.Rotate("tester", def.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Delete("tester", newKey.ID); !errors.Is(err, ErrLastActiveKey) {
			t.Fatalf("delete the only active key: %v", err)
		}
		// The expiring one may go: an active key remains.
		if err := s.Delete("tester", def.ID); err != nil {
			t.Fatal(err)
		}
		onlyKey(t, s)
	})
}

func TestDeleteRemovesKeyAndIndexes(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		k, tok := mustCreate(t, s, "gone")
		if err := s.Delete("tester", k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(tok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("deleted key authenticates: %v", err)
		}
		if _, err := s.Get(k.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("get deleted: %v", err)
		}
		checkInvariants(t, s)
	})
}

func TestRotateExpiringKeyIsRefused(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		if _, _, err := s.Rotate("tester", def.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Rotate("tester", def.ID, time.Hour)
		if !errors.Is(err, ErrAlreadyRotated) || !strings.Contains(err.Error(), "already rotated; it expires at") {
			t.Fatalf("second rotation: %v", err)
		}
		if keys, _ := s.List(); len(keys) != 2 {
			t.Fatalf("%d keys after refused rotation, want 2", len(keys))
		}
	})
}

func TestRotateNowRetiresOldKeyAtOnce(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		old, oldTok := mustCreate(t, s, "ci")
		newKey, newTok, err := s.Rotate("tester", old.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(oldTok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("old token after rotate now: %v", err)
		}
		got, err := s.Authenticate(newTok, clk.Now())
		if err != nil || got.ID != newKey.ID || got.Name != "ci" || got.RotatedFrom != old.ID {
			t.Fatalf("new token: %+v, %v", got, err)
		}
		if _, err := s.Get(old.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("old record still there: %v", err)
		}
		checkInvariants(t, s)
	})
}

func TestRotateScheduledKeepsOldKeyUntilDue(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		old, oldTok := mustCreate(t, s, "billing")
		perms, _ := model.ParsePermissions("customer=read,invoice=read+write")
		if _, err := s.SetPermissions("tester", old.ID, perms); err != nil {
			t.Fatal(err)
		}
		newKey, newTok, err := s.Rotate("tester", old.ID, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if newKey.Name != "billing" || newKey.Permissions != perms {
			t.Fatalf("new key did not inherit: %+v", newKey)
		}
		if _, err := s.Authenticate(newTok, clk.Now()); err != nil {
			t.Fatalf("new key refused at once: %v", err)
		}
		due := t0.Add(24 * time.Hour)
		for _, at := range []time.Time{t0, due.Add(-time.Nanosecond)} {
			if _, err := s.Authenticate(oldTok, at); err != nil {
				t.Fatalf("old key refused at %s: %v", at, err)
			}
		}
		// From the expiry instant the old key is refused, scheduler or not.
		if _, err := s.Authenticate(oldTok, due); !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("old key accepted at expiry: %v", err)
		}
		old2, _ := s.Get(old.ID)
		if !old2.ExpiresAt.Equal(due) || old2.ReplacedBy != newKey.ID || old2.Status(t0) != model.StatusExpiring {
			t.Fatalf("old key = %+v", old2)
		}
		clk.Set(due)
		if n, err := s.ApplyDue(clk.Now()); err != nil || n != 1 {
			t.Fatalf("apply due: %d, %v", n, err)
		}
		if _, err := s.Get(old.ID); !errors.Is(err, ErrNotFound) {
			t.Fatal("expired key still listed")
		}
		checkInvariants(t, s)
	})
}

func TestExpireEndsGracePeriodNow(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		old, oldTok := mustCreate(t, s, "x")
		if err := s.Expire("tester", old.ID); !errors.Is(err, ErrNotExpiring) {
			t.Fatalf("expire an active key: %v", err)
		}
		if _, _, err := s.Rotate("tester", old.ID, 7*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Expire("tester", old.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(oldTok, clk.Now()); !errors.Is(err, ErrUnauthorized) {
			t.Fatal("expired key still authenticates")
		}
		checkInvariants(t, s)
	})
}

func TestBadNamesAreRefusedAndNothingChanges(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		def := onlyKey(t, s)
		auditBefore, _ := s.Audit(0)
		for _, name := range []string{"\x1b[2J", "ok\x00", "two\nlines", strings.Repeat("a", 65), "\u202eevil"} {
			if _, _, err := s.Create("tester", name, model.AllPermissions()); err == nil {
				t.Errorf("create %q accepted", name)
			}
			if _, err := s.Rename("tester", def.ID, name); err == nil {
				t.Errorf("rename %q accepted", name)
			}
		}
		if got := onlyKey(t, s); got.Name != "Default" {
			t.Fatalf("name changed to %q", got.Name)
		}
		if auditAfter, _ := s.Audit(0); len(auditAfter) != len(auditBefore) {
			t.Fatal("refused operations were audited")
		}
		if _, err := s.Rename("tester", def.ID, strings.Repeat("é", 64)); err != nil {
			t.Fatalf("64 characters refused: %v", err)
		}
	})
}

func TestIDPrefixesResolveOrNameCandidates(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		byFirst := map[byte][]string{}
		var ambiguousPrefix string
		for ambiguousPrefix == "" {
			k, _ := mustCreate(t, s, "p")
			byFirst[k.ID[0]] = append(byFirst[k.ID[0]], k.ID)
			if ids := byFirst[k.ID[0]]; len(ids) == 2 {
				ambiguousPrefix = string(k.ID[0])
			}
		}
		_, err := s.Get(ambiguousPrefix)
		if !errors.Is(err, ErrAmbiguous) {
			t.Fatalf("ambiguous prefix: %v", err)
		}
		for _, id := range byFirst[ambiguousPrefix[0]] {
			if !strings.Contains(err.Error(), id) {
				t.Errorf("error %q does not name candidate %s", err, id)
			}
		}
		id := byFirst[ambiguousPrefix[0]][0]
		if k, err := s.Get(id[:8]); err != nil || k.ID != id {
			t.Fatalf("unique prefix: %v", err)
		}
		for _, bad := range []string{"", "ZZZ", "../x", "\x1b"} {
			if _, err := s.Get(bad); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%q) = %v", bad, err)
			}
		}
	})
}

func TestSetPermissionsStoresExactly(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		k, tok := mustCreate(t, s, "p")
		none := model.Permissions{}
		if _, err := s.SetPermissions("tester", k.ID, none); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Authenticate(tok, t0)
		if got.Permissions != none {
			t.Fatalf("permissions = %v", got.Permissions)
		}
	})
}

func TestRevealIsAuditedAndMatchesCreate(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		k, tok := mustCreate(t, s, "r")
		got, err := s.Reveal("alice", k.ID)
		if err != nil || got.Reveal() != tok.Reveal() {
			t.Fatalf("reveal: %v", err)
		}
		entries, _ := s.Audit(1)
		if entries[0].Action != model.ActionReveal || entries[0].Actor != "alice" || entries[0].KeyID != k.ID {
			t.Fatalf("audit = %+v", entries[0])
		}
	})
}

func TestErrorsNeverHoldTheSecret(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		k, tok := mustCreate(t, s, "e")
		var errs []error
		_, err := s.Get(tok.Reveal())
		errs = append(errs, err)
		_, _, err = s.Rotate("t", tok.Reveal(), 0)
		errs = append(errs, err)
		_, err = s.Authenticate(tok, t0.Add(-time.Hour*24*365*100))
		_ = err
		if err := s.Delete("t", k.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(tok, t0)
		errs = append(errs, err)
		for _, e := range errs {
			if e == nil {
				t.Fatal("expected an error")
			}
			if strings.Contains(e.Error(), tok.Reveal()[3:]) {
				t.Fatalf("error %q holds the secret", e)
			}
		}
	})
}

func TestRecordLastUsedSkipsGoneKeysAndKeepsNewest(t *testing.T) {
	s, _ := openTest(t)
	k, tok := mustCreate(t, s, "u")
	gone, _ := mustCreate(t, s, "gone")
	if err := s.Delete("t", gone.ID); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Minute)
	if err := s.RecordLastUsed(map[string]time.Time{k.ID: later, gone.ID: later}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLastUsed(map[string]time.Time{k.ID: t0}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(k.ID)
	if !got.LastUsedAt.Equal(later) {
		t.Fatalf("last used = %s", got.LastUsedAt)
	}
	if a, _ := s.Authenticate(tok, later); !a.LastUsedAt.Equal(later) {
		t.Fatal("auth cache did not learn last used")
	}
	if _, err := s.Get(gone.ID); !errors.Is(err, ErrNotFound) {
		t.Fatal("last used resurrected a deleted key")
	}
}

func TestListFollowsEveryCommitAndStaysSorted(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		first, _ := s.List() // loads the cache
		a, _ := mustCreate(t, s, "a")
		clk.Advance(time.Second)
		b, _ := mustCreate(t, s, "b")
		if _, err := s.Rename("t", a.ID, "a2"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete("t", b.ID); err != nil {
			t.Fatal(err)
		}
		nb, _, err := s.Rotate("t", a.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.List()
		fresh := storedKeys(t, s)
		if len(got) != len(fresh) || len(got) != 3 {
			t.Fatalf("cached list has %d keys, database %d, want 3", len(got), len(fresh))
		}
		for i := range got {
			if got[i].ID != fresh[i].ID || got[i].Name != fresh[i].Name || !got[i].ExpiresAt.Equal(fresh[i].ExpiresAt) {
				t.Errorf("key %d: cached %+v, stored %+v", i, got[i], fresh[i])
			}
		}
		if i := slices.IndexFunc(got, func(k model.Key) bool { return k.ID == a.ID }); i < 0 || i+1 >= len(got) || got[i+1].ID != nb.ID {
			t.Error("the rotation's new key does not directly follow the key it replaced")
		}
		if len(first) != 1 || first[0].Name != "Default" {
			t.Fatal("an earlier List result changed under its reader")
		}
	})
}
