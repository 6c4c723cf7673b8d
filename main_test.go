package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/storage"
)

var binary string

// TestMain builds the real binary once, so these tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "keyrack-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "keyrack")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

func keyrack(t *testing.T, db string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "KEYRACK_MASTER_KEY=", "KEYRACK_SMTP_ADDR=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

func TestNewUserFlow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	r := keyrack(t, db, "keys", "list", "--create")
	if r.code != 0 || !strings.Contains(r.stdout, "Default") || !strings.Contains(r.stdout, "kr_••••••••") {
		t.Fatalf("keys list: %+v", r)
	}
	r = keyrack(t, db, "keys", "create", "--name", "ci", "--json")
	var created struct{ ID, Token string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.Token == "" {
		t.Fatalf("create: %+v %v", r, err)
	}
	if r := keyrack(t, db, "keys", "reveal", created.ID[:6]); strings.TrimSpace(r.stdout) != created.Token {
		t.Fatalf("reveal gave %q", r.stdout)
	}
	if r := keyrack(t, db, "keys", "rotate", created.ID, "--in", "1s"); r.code != 0 {
		t.Fatalf("rotate: %+v", r)
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(keyrack(t, db, "keys", "list").stdout, created.ID) {
		if time.Now().After(deadline) {
			t.Fatal("the rotated key is still listed after its expiry")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestExitStatusesAndErrorFormat(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	if r := keyrack(t, db, "keys", "create", "--name", "ci"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"version"}, 0, ""},
		{[]string{"keys", "frobnicate"}, 2, "keyrack: unknown command"},
		{[]string{"keys", "list", "--bogus"}, 2, "keyrack: "},
		{[]string{"keys", "show", "zzzzzz"}, 1, "keyrack: no key with id"},
		{[]string{"keys", "rotate", "x", "--in", "40d"}, 2, "out of range"},
		{[]string{"--db"}, 2, "flag needs an argument: --db"},
	}
	for _, c := range cases {
		r := keyrack(t, db, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d stderr %q, want %d and %q", c.args, r.code, r.stderr, c.code, c.msg)
		}
	}
}

func TestCommandFailsFastWhileAnotherProcessHoldsTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	r := keyrack(t, db, "keys", "list")
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("took %s", took)
	}
	want := "keyrack: database " + db + " is in use by another keyrack process\n"
	if r.code != 1 || r.stderr != want {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDoubleDashPassesGlobalFlagNamesToTheCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	var keys []struct{ ID string }
	if err := json.Unmarshal([]byte(keyrack(t, db, "--create", "keys", "list", "--json").stdout), &keys); err != nil || len(keys) != 1 {
		t.Fatalf("keys list: %v %v", keys, err)
	}
	if r := keyrack(t, db, "keys", "rename", keys[0].ID, "--", "--org"); r.code != 0 {
		t.Fatalf("rename to --org: %+v", r)
	}
	if r := keyrack(t, db, "keys", "show", keys[0].ID); !strings.Contains(r.stdout, "--org") {
		t.Fatalf("the key is not named --org: %+v", r)
	}
}

func TestNoSilentNewOrganizations(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo", "k.db")
	for _, args := range [][]string{{"keys", "list"}, {"keys", "show", "abc"}, {"audit"}, {"mail"}, {"members", "list"}, {"check"}} {
		r := keyrack(t, typo, args...)
		want := "keyrack: no database at " + typo + " (create one with keyrack --db " + typo + " keys list --create, or run keyrack)\n"
		if r.code != 1 || r.stderr != want {
			t.Errorf("%v on a missing path: %+v, want %q", args, r, want)
		}
	}
	if _, err := os.Stat(filepath.Dir(typo)); !os.IsNotExist(err) {
		t.Error("a read-only command created the data directory")
	}

	db := filepath.Join(dir, "k.db")
	r := keyrack(t, db, "--org", "Acme", "keys", "create", "-n", "ci")
	want := "keyrack: created a new database at " + db + ` (organization "Acme"); its master key is at ` + db + ".key\n"
	if r.code != 0 || !strings.HasPrefix(r.stderr, want) {
		t.Fatalf("first create: %+v, want stderr to start with %q", r, want)
	}
	if r := keyrack(t, db, "keys", "list"); r.code != 0 || strings.Contains(r.stderr, "created") {
		t.Errorf("second command: %+v", r)
	}
	if r := keyrack(t, db, "--org", "Other", "keys", "list"); r.code != 1 || !strings.Contains(r.stderr, `--org "Other" does not match`) {
		t.Errorf("--org for another organization: %+v", r)
	}

	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	for _, args := range [][]string{{"keys", "list"}, {"keys", "create"}, {"--create", "audit"}} {
		if r := keyrack(t, empty, args...); r.code != 1 || !strings.Contains(r.stderr, "is damaged") {
			t.Errorf("%v on an empty file: %+v", args, r)
		}
	}
	if info, _ := os.Stat(empty); info.Size() != 0 {
		t.Error("the empty file was rebuilt")
	}
}

func TestKeyrackDBSetsThePath(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	keyrack(t, db, "--create", "keys", "list")
	cmd := exec.Command(binary, "keys", "list", "--json")
	cmd.Env = append(os.Environ(), "KEYRACK_MASTER_KEY=", "KEYRACK_DB="+db)
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), `"name":"Default"`) {
		t.Fatalf("KEYRACK_DB: %v %s", err, out)
	}
}

func TestHelpVersionAndCompletionOfTheBinary(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--version"}, "keyrack "},
		{[]string{"version"}, "keyrack "},
		{[]string{"--help"}, "KEYRACK_SMTP_ADDR"},
		{[]string{"help", "keys"}, "rotate      replace a key"},
		{[]string{"keys", "--help"}, "permissions set permissions"},
		{[]string{"serve", "--help"}, "KEYRACK_ADMIN_KEYS"},
		{[]string{"completion", "bash"}, "# bash completion V2 for keyrack"},
		{[]string{"resources"}, "security_log"},
	} {
		if r := keyrack(t, db, tc.args...); r.code != 0 || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("keyrack %v: %+v, want %q on stdout", tc.args, r, tc.want)
		}
	}
	if r := keyrack(t, db, "serve", "--help"); !strings.Contains(r.stdout, `(default "127.0.0.1:8080")`) {
		t.Errorf("serve --help does not show the loopback default:\n%s", r.stdout)
	}
}
