package main

import (
	"time"

	"crypto/ed25519"
	"crypto/rand"
	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
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
	dbPath := filepath.Join(t.TempDir(), "k.db")
	o := cli.ServeOptions{SSHAddr: busy.Addr().String(), LastUsedFlush: time.Second,
		AdminKeys: []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub)))},
		Open:      func() (*storage.Store, error) { return storage.Open(dbPath, storage.Options{}) }}
	for range 20 {
		var opened *storage.Store
		o.Open = func() (st *storage.Store, err error) {
			opened, err = storage.Open(dbPath, storage.Options{})
			return opened, err
		}
		if err := serve(o); err == nil || !strings.Contains(err.Error(), "ssh:") {
			t.Fatalf("serve on a busy port: %v", err)
		}
		if goroutinesRunning("keyrack/mail.(*Worker).Run") {
			t.Fatal("serve returned with the mail worker still running")
		}
		opened.Close()
	}
}
