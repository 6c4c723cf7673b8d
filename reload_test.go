package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	gossh "golang.org/x/crypto/ssh"
)

// TestSIGHUPDropsABootstrapKeyAndItsSessions: serve re-reads its
// --admin-key file on SIGHUP; a file with a bad line keeps the old keys,
// and the session of a key the new file drops ends with the reason.
func TestSIGHUPDropsABootstrapKeyAndItsSessions(t *testing.T) {
	boot, next := newKey(t), newKey(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "admins.pub")
	if err := os.WriteFile(file, []byte(authorizedKeyOf(t, boot)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, binary, filepath.Join(dir, "k.db"), file)
	login := func(s gossh.Signer) (*gossh.Client, error) {
		return gossh.Dial("tcp", srv.ssh, &gossh.ClientConfig{User: "admin", Auth: []gossh.AuthMethod{gossh.PublicKeys(s)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	}
	c, err := login(boot)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	sess.Stderr = &stderr
	stdin, _ := sess.StdinPipe() // held open: the command waits on it
	defer stdin.Close()
	if err := sess.Start("members add-key nobody@example.com -"); err != nil {
		t.Fatal(err)
	}

	os.WriteFile(file, []byte(`command="/bin/sh" `+authorizedKeyOf(t, next)+"\n"), 0o600)
	syscall.Kill(srv.pid, syscall.SIGHUP)
	testkit.Eventually(t, 5*time.Second, "the refused reload logged", func() bool {
		return strings.Contains(srv.proc.Output(), "admin keys not reloaded")
	})
	if _, err := login(boot); err != nil {
		t.Fatalf("a refused reload dropped the old key: %v", err)
	}

	os.WriteFile(file, []byte(authorizedKeyOf(t, next)+"\n"), 0o600)
	syscall.Kill(srv.pid, syscall.SIGHUP)
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*gossh.ExitError); !ok || ee.ExitStatus() != 1 {
			t.Errorf("exit: %v, want status 1", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the dropped key's session stayed open")
	}
	if !strings.Contains(stderr.String(), "your access was removed by a reload of the server's admin keys") {
		t.Errorf("stderr %q", stderr.String())
	}
	if _, err := login(boot); err == nil {
		t.Error("the dropped key still logs in")
	}
	if _, err := login(next); err != nil {
		t.Errorf("the new key does not log in: %v", err)
	}
}
