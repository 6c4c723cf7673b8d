package storage

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"github.com/keyrack/keyrack/clock"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestFirstOpenCreatesOrganizationAndDefaultKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		k := onlyKey(t, s)
		if k.Name != "Default" || k.Permissions != model.AllPermissions() || k.Status(t0) != model.StatusActive {
			t.Fatalf("default key = %+v", k)
		}
		if s.Organization() != "Acme" {
			t.Fatalf("organization = %q", s.Organization())
		}
	})
}

func TestFilesArePrivate(t *testing.T) {
	s, _ := openTest(t)
	for path, want := range map[string]os.FileMode{
		filepath.Dir(s.Path()): 0o700,
		s.Path():               0o600,
		s.Path() + ".key":      0o600,
	} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", path, got, want)
		}
	}
}

func TestDatabaseHoldsNoTokenInPlaintext(t *testing.T) {
	s, _ := openTest(t)
	var toks []model.Token
	for i := 0; i < 20; i++ {
		_, tok := mustCreate(t, s, "k")
		toks = append(toks, tok)
	}
	keys, _ := s.List()
	_, rotated, err := s.Rotate("tester", keys[0].ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	toks = append(toks, rotated)
	path := s.Path()
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		secret := tok.Reveal()
		// The body alone (without prefix and checksum) must not appear either.
		if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(secret[3:33])) {
			t.Fatalf("token %s found in plaintext in the database file", tok)
		}
	}
}

func TestSecondOpenFailsWithInUseMessage(t *testing.T) {
	s, _ := openTest(t)
	start := time.Now()
	_, err := Open(s.Path(), Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	want := "database " + s.Path() + " is in use by another keyrack process"
	if err.Error() != want {
		t.Fatalf("message %q, want %q and no hint: nothing says who holds it", err, want)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("second open took %s", time.Since(start))
	}
}

func TestMissingMasterKeyIsRefusedAndFileUnchanged(t *testing.T) {
	s, _ := openTest(t)
	path := s.Path()
	s.Close()
	before, _ := os.ReadFile(path)
	if err := os.Rename(path+".key", path+".key.bak"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrMasterKey) || !strings.Contains(err.Error(), "master key missing") {
		t.Fatalf("open without key: %v", err)
	}
	if _, err := os.Stat(path + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a new master key was created for an existing database")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("database file changed")
	}
}

func TestWrongMasterKeyIsRefusedAndFileUnchanged(t *testing.T) {
	s, _ := openTest(t)
	path := s.Path()
	s.Close()
	before, _ := os.ReadFile(path)
	other := make([]byte, 32)
	rand.Read(other)
	t.Setenv(MasterKeyEnv, base64.StdEncoding.EncodeToString(other))
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrMasterKey) || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("open with wrong key: %v", err)
	}
	t.Setenv(MasterKeyEnv, "bm90IDMyIGJ5dGVz")
	if _, err := Open(path, Options{}); !errors.Is(err, ErrMasterKey) {
		t.Fatalf("open with short key: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("database file changed")
	}
}

func TestMasterKeyFromEnvironmentCreatesNoKeyFile(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	t.Setenv(MasterKeyEnv, base64.StdEncoding.EncodeToString(key))
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, tok := mustCreate(t, s, "env")
	k, _ := s.Authenticate(tok, time.Now())
	s.Close()
	if _, err := os.Stat(path + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("key file created although the key came from the environment")
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Reveal("t", k.ID)
	if err != nil || got.Reveal() != tok.Reveal() {
		t.Fatalf("reveal after reopen: %v", err)
	}
}

func TestSubscribersHearEveryCommitAndCanLeave(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		subA, subB := s.Watch(), s.Watch()
		a, cancelA := subA.C(), subA.Close
		cancelB := subB.Close
		mustCreate(t, s, "x")
		for _, ch := range []<-chan struct{}{a, subB.C()} {
			select {
			case <-ch:
			case <-time.After(time.Second):
				t.Fatal("no change event")
			}
		}
		cancelA()
		if _, ok := <-a; ok {
			t.Fatal("channel still open after cancel")
		}
		cancelB()
		if n := s.Subscribers(); n != 0 {
			t.Fatalf("%d subscribers left", n)
		}
	})
}

func TestOrganizationNameIsValidatedLikeAKeyName(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "org.db")
	if _, err := Open(path, Options{Org: "Evil\x1b]52;c;x\a"}); err == nil || !strings.Contains(err.Error(), "organization name") {
		t.Fatalf("open with an escape sequence in the organization: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused organization name still created the database")
	}
	s, err := Open(path, Options{Org: "  Acme Inc.  "})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Organization() != "Acme Inc." {
		t.Fatalf("organization %q", s.Organization())
	}
}
