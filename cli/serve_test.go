package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesWhatItCouldNeverUseBeforeStarting: a bad address or a
// host key path with no directory is refused before serve creates the
// database or anything else.
func TestServeRefusesWhatItCouldNeverUseBeforeStarting(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "host_key")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--ssh-addr", "nonsense"}, 2, `--ssh-addr "nonsense": want HOST:PORT or :PORT`},
		{[]string{"--ssh-addr", ":99999"}, 2, `--ssh-addr ":99999": want HOST:PORT`},
		{[]string{"--http-addr", "127.0.0.1"}, 2, `--http-addr "127.0.0.1": want HOST:PORT`},
		{[]string{"--host-key", missing}, 1, "no directory"},
		{[]string{"--node", "a\x00b"}, 2, "a name of at most 128 printable characters"},
		{[]string{"--node", strings.Repeat("n", 129)}, 2, "at most 128"},
		{[]string{"--memory-limit", "lots"}, 2, `--memory-limit: "lots" is not a size`},
		{[]string{"--memory-limit", "1MiB"}, 2, "at least 64MiB"},
	} {
		var errOut bytes.Buffer
		started := false
		env := Env{Stdout: io.Discard, Stderr: &errOut, Serve: func(ServeOptions) error { started = true; return nil }}
		code := Run(env, append([]string{"serve"}, tc.args...))
		if code != tc.code || started || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("serve %q: exit %d, started %v, stderr %q; want exit %d and %q", tc.args, code, started, errOut.String(), tc.code, tc.want)
		}
	}
}

// What serve is started with: a flag wins over its variable, the rest
// comes from the environment, and the database is named but not opened.
func TestServeOptionsTakeFlagsOverTheEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	env := map[string]string{"KEYRACK_SMTP_ADDR": "env.example:25", "KEYRACK_SMTP_FROM": "keyrack@example.com",
		"KEYRACK_SMTP_TLS": "none", "KEYRACK_ADMIN_KEYS": "ssh-ed25519 AAAA admin", "KEYRACK_DB": db}
	var got ServeOptions
	e := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] },
		Serve: func(o ServeOptions) error { got = o; return nil }}
	if code := Run(e, []string{"serve", "--smtp-addr", "flag.example:587", "--ssh-addr", "127.0.0.1:2222", "--remind-before", "1d"}); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	if got.Mail.Addr != "flag.example:587" || got.Mail.From != "keyrack@example.com" || got.AdminKeysEnv != env["KEYRACK_ADMIN_KEYS"] {
		t.Errorf("mail %+v, admin keys %q: want the flag's address and the rest from the environment", got.Mail, got.AdminKeysEnv)
	}
	if got.Database != db || got.DataDir != filepath.Dir(db) || len(got.RemindBefore) != 1 || got.Open == nil {
		t.Errorf("database %q in %q, reminders %v: want %s, its directory, one reminder and an opener", got.Database, got.DataDir, got.RemindBefore, db)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("checking the flags touched the database: %v", err)
	}
}

// serve's memory limit: 640 MiB by default, the flag's value when given,
// none with off, and none when GOMEMLIMIT is set and the flag is not (the
// runtime applied the variable).
func TestServeMemoryLimitFromTheFlagOrTheEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	for _, tc := range []struct {
		args       []string
		gomemlimit string
		want       uint64
	}{
		{nil, "", 640 << 20},
		{[]string{"--memory-limit", "1GiB"}, "", 1 << 30},
		{[]string{"--memory-limit", "off"}, "", 0},
		{nil, "2GiB", 0},
		{[]string{"--memory-limit", "700MiB"}, "2GiB", 700 << 20},
	} {
		env := map[string]string{"KEYRACK_DB": db, "GOMEMLIMIT": tc.gomemlimit}
		got := ServeOptions{MemoryLimit: 12345}
		e := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] },
			Serve: func(o ServeOptions) error { got = o; return nil }}
		if code := Run(e, append([]string{"serve"}, tc.args...)); code != 0 || got.MemoryLimit != tc.want {
			t.Errorf("serve %q with GOMEMLIMIT=%q: exit %d, limit %d; want %d", tc.args, tc.gomemlimit, code, got.MemoryLimit, tc.want)
		}
	}
}
