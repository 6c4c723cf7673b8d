package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// goroutinesRunning reports whether any goroutine is inside fn.
func goroutinesRunning(fn string) bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), fn)
}

func TestServeThatCannotListenStopsTheMailWorkerBeforeClosingTheStore(t *testing.T) {
	for _, env := range []string{"KEYRACK_MASTER_KEY", "KEYRACK_ADMIN_KEYS", "KEYRACK_SMTP_ADDR"} {
		t.Setenv(env, "")
	}
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := gossh.NewPublicKey(pub)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	f, err := parseServeFlags([]string{"--ssh-addr", busy.Addr().String(), "--http-addr", "",
		"--admin-key", strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub)))}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	g := globals{db: filepath.Join(t.TempDir(), "k.db")}
	for range 20 {
		if err := runServe(g, f); err == nil || !strings.Contains(err.Error(), "ssh:") {
			t.Fatalf("serve on a busy port: %v", err)
		}
		if goroutinesRunning("keyrack/mail.(*Worker).Run") {
			t.Fatal("serve returned (and closed the store) with the mail worker still running")
		}
	}
}

func TestServeSMTPFlagsOverrideTheEnvironmentWithoutChangingIt(t *testing.T) {
	t.Setenv("KEYRACK_SMTP_ADDR", "env.example:25")
	t.Setenv("KEYRACK_SMTP_USER", "env-user")
	f, err := parseServeFlags([]string{"--smtp-addr", "flag.example:587"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.getenv("KEYRACK_SMTP_ADDR"); got != "flag.example:587" {
		t.Errorf("KEYRACK_SMTP_ADDR = %q, want the flag's", got)
	}
	if got := f.getenv("KEYRACK_SMTP_USER"); got != "env-user" {
		t.Errorf("KEYRACK_SMTP_USER = %q, want the environment's", got)
	}
}
