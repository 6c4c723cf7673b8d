package sshd

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	gossh "golang.org/x/crypto/ssh"
)

func TestAdminKeyIsAccepted(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	out, _, code := run(t, c, "version")
	if code != 0 || out == "" {
		t.Fatalf("version: exit %d, output %q", code, out)
	}
	fp := gossh.FingerprintSHA256(ts.admin.PublicKey())
	logs := ts.logs.String()
	if !strings.Contains(logs, "ssh login accepted") || !strings.Contains(logs, fp) || !strings.Contains(logs, "remote=127.0.0.1:") {
		t.Errorf("no accepted line with fingerprint and address in the log:\n%s", logs)
	}
}

func TestLoginsRefused(t *testing.T) {
	ts := startServer(t)
	manager := newSigner(t)
	if _, err := ts.st.AddMember("test", "m@example.com", model.RoleManager, []string{authorizedKey(manager)}); err != nil {
		t.Fatal(err)
	}
	stranger := newSigner(t)
	cases := []struct {
		name   string
		auth   gossh.AuthMethod
		reason string // in the log line
	}{
		{"unknown key", gossh.PublicKeys(stranger), "fingerprint=" + gossh.FingerprintSHA256(stranger.PublicKey()) + " remote=127.0.0.1:"},
		{"manager's key", gossh.PublicKeys(manager), "m@example.com is manager"},
		{"password", gossh.Password("hunter2"), "no acceptable public key"},
		{"keyboard-interactive", gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		}), "no acceptable public key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mark := ts.logs.Len()
			c, err := ts.dial(tc.auth)
			if err == nil {
				c.Close()
				t.Fatal("login accepted")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Fatalf("want an authentication failure, got %v", err)
			}
			testkit.Eventually(t, 2*time.Second, "a refusal logged with "+tc.reason, func() bool {
				logs := ts.logs.From(mark)
				return strings.Contains(logs, "ssh login refused") && strings.Contains(logs, tc.reason)
			})
		})
	}
	if strings.Contains(ts.logs.String(), "hunter2") {
		t.Error("a password reached the log")
	}
}

func TestBootstrapKeyLogsInAndIsNamedInAudit(t *testing.T) {
	boot := newSigner(t)
	ts := startServer(t, authorizedKey(boot)+" laptop")
	c := ts.login(boot)
	if _, errOut, code := run(t, c, "keys create --name from-bootstrap"); code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	entries, err := ts.st.Audit(1)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	want := "bootstrap key " + gossh.FingerprintSHA256(boot.PublicKey())
	if entries[0].Actor != want {
		t.Errorf("actor %q, want %q", entries[0].Actor, want)
	}
}

func TestMemberChangesTakeEffectAtNextLogin(t *testing.T) {
	ts := startServer(t)
	alice := newSigner(t)
	if _, err := ts.dial(gossh.PublicKeys(alice)); err == nil {
		t.Fatal("alice logged in before being added")
	}
	if _, err := ts.st.AddMember("test", "alice@example.com", model.RoleAdmin, []string{authorizedKey(alice)}); err != nil {
		t.Fatal(err)
	}
	c, err := ts.dial(gossh.PublicKeys(alice))
	if err != nil {
		t.Fatalf("alice refused after being added: %v", err)
	}
	if _, errOut, code := run(t, c, "keys create --name by-alice"); code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	entries, _ := ts.st.Audit(1)
	if want := "alice@example.com (" + gossh.FingerprintSHA256(alice.PublicKey()) + ")"; len(entries) == 0 || entries[0].Actor != want {
		t.Errorf("audit actor %+v, want %q", entries, want)
	}

	if err := ts.st.RemoveMember("test", "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	// Her open connection may not start new sessions either.
	if sess, err := c.NewSession(); err == nil {
		err = sess.Run("keys list")
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() == 0 {
			t.Errorf("session on a removed admin's connection: %v", err)
		}
	}
	c.Close()
	if c, err := ts.dial(gossh.PublicKeys(alice)); err == nil {
		c.Close()
		t.Fatal("alice logged in after being removed")
	}
}

func TestNoAdminIsRefused(t *testing.T) {
	ts := startServer(t)
	if err := ts.st.RemoveMember("test", "admin@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Store: ts.st}); !errors.Is(err, ErrNoAdmin) {
		t.Fatalf("New with no admin: %v, want ErrNoAdmin", err)
	}
	if _, err := New(Config{Store: ts.st, AdminKeys: []string{"ssh-ed25519 nonsense"}}); err == nil {
		t.Fatal("New accepted an invalid admin key")
	}
}
