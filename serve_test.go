package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
	gossh "golang.org/x/crypto/ssh"
)

// goroutinesRunning reports whether any goroutine is inside fn.
func goroutinesRunning(fn string) bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), fn)
}

// serveOptions is serve's configuration for a database at dbPath with one
// bootstrap admin key; Open records the store it opens in *opened.
func serveOptions(t *testing.T, dbPath string, opened **storage.Store) cli.ServeOptions {
	t.Helper()
	for _, env := range []string{"KEYRACK_MASTER_KEY", "KEYRACK_ADMIN_KEYS", "KEYRACK_SMTP_ADDR"} {
		t.Setenv(env, "")
	}
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := gossh.NewPublicKey(pub)
	return cli.ServeOptions{SSHAddr: "127.0.0.1:0", LastUsedFlush: time.Second, DataDir: filepath.Dir(dbPath),
		AdminKeys: []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub)))},
		Open: func() (st *storage.Store, err error) {
			*opened, err = storage.Open(dbPath, storage.Options{})
			return *opened, err
		}}
}

// busyAddr is an address something already listens on.
func busyAddr(t *testing.T) string {
	t.Helper()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	return busy.Addr().String()
}

func TestServeThatCannotListenStopsTheMailWorkerBeforeClosingTheStore(t *testing.T) {
	var opened *storage.Store
	o := serveOptions(t, filepath.Join(t.TempDir(), "k.db"), &opened)
	o.HTTPAddr = busyAddr(t) // fails once the store is open and the workers run
	for range 20 {
		if err := serve(o); err == nil || !strings.Contains(err.Error(), "http:") {
			t.Fatalf("serve on a busy HTTP port: %v", err)
		}
		if goroutinesRunning("keyrack/mail.(*Worker).Run") {
			t.Fatal("serve returned with the mail worker still running")
		}
		opened.Close()
	}
}

func TestServeOnABusySSHPortCreatesNoDatabase(t *testing.T) {
	var opened *storage.Store
	dbPath := filepath.Join(t.TempDir(), "k.db")
	o := serveOptions(t, dbPath, &opened)
	o.SSHAddr = busyAddr(t)
	if err := serve(o); err == nil || !strings.Contains(err.Error(), "ssh:") {
		t.Fatalf("serve on a busy SSH port: %v", err)
	}
	if opened != nil {
		opened.Close()
		t.Fatal("serve opened the store although it could not listen")
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Fatalf("serve on a busy SSH port left %s: %v", dbPath, err)
	}
}
