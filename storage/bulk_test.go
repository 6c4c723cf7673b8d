package storage

import (
	"fmt"
	"github.com/keyrack/keyrack/clock"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// importN imports n keys named "k<i>"; with expires set they expire then.
func importN(t testing.TB, s *Store, n int, expires time.Time) []model.Key {
	t.Helper()
	nks := make([]NewKey, n)
	for i := range nks {
		nks[i] = NewKey{Name: fmt.Sprintf("k%d", i), Permissions: model.AllPermissions(), ExpiresAt: expires}
	}
	var keys []model.Key
	if _, err := s.Import("tester", InOneBlock(nks), func(made []Imported) {
		for _, m := range made {
			keys = append(keys, m.Key)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return keys
}

func addAdmins(t testing.TB, s *Store, emails ...string) {
	t.Helper()
	for _, e := range emails {
		if _, err := s.AddMember("tester", e, model.RoleAdmin, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// mailsOfKind returns the outbox entries of one kind.
func mailsOfKind(t testing.TB, s *Store, kind model.NotificationKind) []model.Notification {
	t.Helper()
	all, err := s.Outbox(0)
	must(t, err)
	var out []model.Notification
	for _, n := range all {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func TestExpiryPassOfTenThousandKeysCommitsInChunksAndMailsOnce(t *testing.T) {
	s, clk := openTest(t)
	addAdmins(t, s, "ada@example.com", "bob@example.com")
	importN(t, s, 10000, t0.Add(time.Hour))
	sub := s.Watch()
	defer sub.Close()
	clk.Advance(time.Hour)
	n, err := s.ApplyDue(clk.Now())
	if err != nil || n != 10000 {
		t.Fatalf("ApplyDue = %d, %v", n, err)
	}
	commits := 0
	for _, e := range sub.Events() {
		if e.Action == model.ActionExpire {
			commits++
			if e.Count > chunkMax {
				t.Errorf("one commit expired %d keys", e.Count)
			}
		}
	}
	if commits < 2 {
		t.Errorf("%d commits for 10,000 expiries, want chunks", commits)
	}
	mails := mailsOfKind(t, s, model.NotifyExpired)
	if len(mails) != 1 || mails[0].Count != 10000 || len(mails[0].Keys) != model.BulkListed || len(mails[0].Recipients) != 2 {
		t.Fatalf("%d expiry mails, first %+v", len(mails), mails)
	}
	if sn, _ := s.Keys(); sn.Len() != 1 {
		t.Fatalf("%d keys left, want the Default one", sn.Len())
	}
	if audit, _ := s.Audit(0); countAction(audit, model.ActionExpire) != 10000 {
		t.Fatal("not every expiry is audited")
	}
}

func countAction(audit []model.AuditEntry, action string) int {
	n := 0
	for _, e := range audit {
		if e.Action == action {
			n++
		}
	}
	return n
}

func TestExpiryOfOneKeyMailsAsASingleOperation(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		addAdmins(t, s, "ada@example.com")
		k, _ := mustCreate(t, s, "one")
		_, _, err := s.Rotate("t", k.ID, time.Minute)
		must(t, err)
		clk.Advance(time.Minute)
		_, err = s.ApplyDue(clk.Now())
		must(t, err)
		mails := mailsOfKind(t, s, model.NotifyExpired)
		if len(mails) != 1 || mails[0].Count != 0 || mails[0].KeyID != k.ID || mails[0].KeyMasked != k.Masked() {
			t.Fatalf("expiry mail %+v", mails)
		}
	})
}

func TestRotateAllRotatesEveryActiveKeyAndMailsOnce(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		addAdmins(t, s, "ada@example.com")
		keys := importN(t, s, 999, time.Time{})
		_, _, err := s.Rotate("t", keys[0].ID, time.Hour) // now expiring: skipped
		must(t, err)
		var got []RotatedKey
		res, err := s.RotateAll("tester", 30*time.Second, func(r []RotatedKey) { got = append(got, r...) })
		must(t, err)
		// 999 imported + Default + the first rotation's new key are active; keys[0] is expiring.
		if res.Rotated != 1000 || res.Skipped != 1 || len(got) != 1000 {
			t.Fatalf("RotateAll = %+v, %d reported", res, len(got))
		}
		sn, _ := s.Keys()
		for _, r := range got {
			i, ok := sn.Find(r.Replaces)
			if !ok || sn.At(i+1).ID != r.Key.ID {
				t.Fatalf("new key %s does not follow the key it replaces", r.Key.ID)
			}
			old := sn.At(i)
			if old.ExpiresAt != clk.Now().Add(30*time.Second) || r.Key.Name != old.Name || r.Key.Permissions != old.Permissions {
				t.Fatalf("old %+v, new %+v", old, r.Key)
			}
			if _, err := s.Authenticate(r.Token, clk.Now()); err != nil {
				t.Fatalf("new token: %v", err)
			}
		}
		mails := mailsOfKind(t, s, model.NotifyRotationScheduled)
		if len(mails) != 2 || mails[0].Count != 1000 || mails[0].Keys[0].NewMasked == "" {
			t.Fatalf("rotation mails %+v", mails)
		}
		clk.Advance(30 * time.Second)
		if n, err := s.ApplyDue(clk.Now()); n != 1000 || err != nil {
			t.Fatalf("ApplyDue after the grace period = %d, %v", n, err)
		}
		if m := mailsOfKind(t, s, model.NotifyExpired); len(m) != 1 || m[0].Count != 1000 {
			t.Fatalf("expiry mails after rotate --all: %+v", m)
		}
	})
}

// rotate --all works through the keys in id order and gives their
// successors ids that ascend with them, so that each chunk writes into one
// narrow range of the key records and the id-keyed indexes.
func TestRotateAllGoesInIDOrderWithAscendingSuccessorIDs(t *testing.T) {
	s, clk := openTest(t)
	for i := range 50 { // shown in creation order, their ids at random
		mustCreate(t, s, fmt.Sprintf("k%d", i))
		clk.Advance(time.Second)
	}
	var got []RotatedKey
	_, err := s.RotateAll("tester", time.Hour, func(r []RotatedKey) { got = append(got, r...) })
	must(t, err)
	if len(got) != 51 {
		t.Fatalf("%d rotations, want 51", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Replaces <= got[i-1].Replaces || got[i].Key.ID <= got[i-1].Key.ID {
			t.Fatalf("rotation %d: %s → %s after %s → %s", i, got[i].Replaces, got[i].Key.ID, got[i-1].Replaces, got[i-1].Key.ID)
		}
	}
}

func TestImportRefusesTheWholeFileOnOneBadKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		stored, _ := mustCreate(t, s, "stored")
		storedTok, err := s.Reveal("t", stored.ID)
		must(t, err)
		uuid := "3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"
		lago, _ := model.ParseLagoToken(uuid)
		var badPerms model.Permissions
		badPerms[0] = 7
		good := func(line int) NewKey {
			return NewKey{Line: line, Name: fmt.Sprintf("ok %d", line), Permissions: model.AllPermissions()}
		}
		cases := map[string]struct {
			bad  NewKey
			want string
		}{
			"control characters": {NewKey{Line: 3, Name: "evil\x1b[2J"}, "line 3:"},
			"bad permissions":    {NewKey{Line: 3, Name: "p", Permissions: badPerms}, "line 3:"},
			"token in the store": {NewKey{Line: 3, Name: "dup", Token: storedTok}, "line 3: the token is already stored"},
			"token twice":        {NewKey{Line: 3, Name: "twice", Token: lago}, "line 3: the same token as line 2"},
			"expired":            {NewKey{Line: 3, Name: "old", ExpiresAt: clk.Now().Add(-time.Hour)}, "line 3: the key expired"},
		}
		for name, c := range cases {
			first := good(1)
			second := good(2)
			second.Token = lago
			_, err := s.Import("tester", InOneBlock([]NewKey{first, second, c.bad}), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", name, err, c.want)
				continue
			}
			for _, secret := range []string{uuid, storedTok.Reveal()} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s: the error repeats a token", name)
				}
			}
		}
		if sn, _ := s.Keys(); sn.Len() != 2 {
			t.Fatalf("refused imports stored keys: %d", sn.Len())
		}
	})
}

func TestImportNamesTheFirstBadLineOfAFileCheckedOnEveryCore(t *testing.T) {
	s, _ := openTest(t)
	keys := func() []NewKey { // 4,000 keys: each core checks a share
		keys := make([]NewKey, 4000)
		for i := range keys {
			tok, _ := model.ParseLagoToken(fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", i))
			keys[i] = NewKey{Line: i + 1, Name: fmt.Sprintf("k%d", i), Permissions: model.AllPermissions(), Token: tok}
		}
		return keys
	}
	twice, badName := keys(), keys()
	twice[3000].Token, twice[3500].Name = twice[10].Token, "evil\x1b[2J"
	badName[1000].Name, badName[3000].Token = "evil\x1b[2J", badName[10].Token
	for name, c := range map[string]struct {
		keys []NewKey
		want string
	}{
		"a token twice, then a bad name": {twice, "line 3001: the same token as line 11"},
		"a bad name, then a token twice": {badName, "line 1001: "},
	} {
		_, err := s.Import("tester", InOneBlock(c.keys), nil)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if sn, _ := s.Keys(); sn.Len() != 1 {
		t.Fatalf("refused imports stored keys: %d", sn.Len())
	}
}

func TestImportedLagoTokenAuthenticatesWithItsPermissionsAndTimes(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		uuid := "3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"
		tok, _ := model.ParseLagoToken(uuid)
		var perms model.Permissions
		inv, _ := model.LookupResource("invoice")
		perms[inv] = model.Read
		created, used := t0.Add(-48*time.Hour), t0.Add(-time.Hour)
		_, err := s.Import("tester", InOneBlock([]NewKey{{Name: "from lago", Permissions: perms, Token: tok, CreatedAt: created, LastUsedAt: used}}), nil)
		must(t, err)
		back, _ := model.ParseCredential(uuid)
		k, err := s.Authenticate(back, clk.Now())
		must(t, err)
		if k.Permissions != perms || !k.CreatedAt.Equal(created) || !k.LastUsedAt.Equal(used) || k.Name != "from lago" {
			t.Fatalf("imported key %+v", k)
		}
		if revealed, err := s.Reveal("t", k.ID); err != nil || revealed.Reveal() != uuid {
			t.Fatalf("reveal: %v", err)
		}
		if sn, _ := s.Keys(); sn.At(0).ID != k.ID {
			t.Error("an imported key created earlier does not sort first")
		}
		// Its mask is a UUID's, not a kr_ token's, wherever it is shown.
		listed, _ := s.Keys()
		if got := listed.At(0).Masked(); got != "••••••••1a2b" || k.Masked() != got {
			t.Errorf("imported Lago key masked %q (authenticated: %q), want ••••••••1a2b", got, k.Masked())
		}
	})
}

// An import interrupted (here: its first part stored, as a crash between
// chunks leaves it) can be run again on the same file: what is stored
// exactly as given is skipped and the rest imported. A line whose token is
// stored with another name is still refused.
func TestImportRunAgainSkipsWhatAnEarlierRunStored(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		lines := make([]NewKey, 30)
		for i := range lines {
			tok, _ := model.ParseLagoToken(fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", i))
			lines[i] = NewKey{Line: i + 1, Name: fmt.Sprintf("lago %d", i), Permissions: model.AllPermissions(), Token: tok, CreatedAt: t0.Add(-time.Duration(i) * time.Hour)}
		}
		first, err := s.Import("tester", InOneBlock(append([]NewKey(nil), lines[:12]...)), nil)
		if err != nil || first.Imported != 12 {
			t.Fatalf("first run: %+v, %v", first, err)
		}
		again, err := s.Import("tester", InOneBlock(append([]NewKey(nil), lines...)), nil)
		if err != nil || again.Imported != 18 || again.Skipped != 12 {
			t.Fatalf("second run: %+v, %v; want 18 imported, 12 skipped", again, err)
		}
		if sn, _ := s.Keys(); sn.Len() != 31 {
			t.Fatalf("%d keys, want the 30 lines and Default once each", sn.Len())
		}
		changed := append([]NewKey(nil), lines...)
		changed[4].Name = "renamed in the file"
		if _, err := s.Import("tester", InOneBlock(changed), nil); err == nil || !strings.Contains(err.Error(), "line 5: the token is already stored") {
			t.Fatalf("a changed line: %v", err)
		}
	})
}

// The grace period of rotate --all counts from its start: when rotating
// outlasts it, the keys rotated afterwards are replaced at once and
// counted, and one expiry pass retires the rest.
func TestRotateAllCountsKeysRotatedAfterTheGracePeriod(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		addAdmins(t, s, "ada@example.com")
		importN(t, s, 600, time.Time{})
		first := 0
		res, err := s.RotateAll("tester", 30*time.Second, func(r []RotatedKey) {
			if first == 0 {
				first = len(r)
				clk.Advance(31 * time.Second) // the rest of the rotation is late
			}
		})
		must(t, err)
		if res.Rotated != 601 || first == 0 || res.Late != res.Rotated-first {
			t.Fatalf("RotateAll = %+v with %d in the first chunk; want the rest late", res, first)
		}
		// The late ones were replaced at once; only the first chunk's old keys
		// wait for the expiry pass, which then mails once.
		clk.Advance(time.Second)
		if n, err := s.ApplyDue(clk.Now()); n != first || err != nil {
			t.Fatalf("ApplyDue = %d, %v; want the %d keys rotated in time", n, err, first)
		}
		if sn, _ := s.Keys(); sn.Len() != 601 {
			t.Fatalf("%d keys left, want the 601 new ones", sn.Len())
		}
		if m := mailsOfKind(t, s, model.NotifyExpired); len(m) != 1 {
			t.Fatalf("%d expiry mails, want 1", len(m))
		}
	})
}
