package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/internal/testkit"
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

// A busy port is found before the store opens: no database is created,
// and the other port is let go.
func TestServeOnABusyPortCreatesNoDatabaseAndHoldsNoPort(t *testing.T) {
	for _, side := range []string{"ssh", "http"} {
		t.Run(side, func(t *testing.T) {
			var opened *storage.Store
			dbPath := filepath.Join(t.TempDir(), "k.db")
			o := serveOptions(t, dbPath, &opened)
			busy := busyAddr(t) // taken first: a free port found before it could be handed out again as it
			ports := testkit.FreePorts(t, 2)
			o.SSHAddr, o.HTTPAddr = testkit.Addr(ports[0]), testkit.Addr(ports[1])
			other := o.SSHAddr
			if side == "ssh" {
				o.SSHAddr, other = busy, o.HTTPAddr
			} else {
				o.HTTPAddr = busy
			}
			if err := serve(o); err == nil || !strings.HasPrefix(err.Error(), side+":") {
				t.Fatalf("serve on a busy %s port: %v", side, err)
			}
			if opened != nil {
				opened.Close()
				t.Fatal("serve opened the store although it could not listen")
			}
			if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
				t.Fatalf("serve on a busy %s port left %s: %v", side, dbPath, err)
			}
			ln, err := net.Listen("tcp", other)
			if err != nil {
				t.Fatalf("serve still holds %s: %v", other, err)
			}
			ln.Close()
		})
	}
}

// A host key file serve cannot use is found before the store opens: the
// error names the file and no database is created.
func TestServeWithAnUnusableHostKeyCreatesNoDatabase(t *testing.T) {
	var opened *storage.Store
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "k.db")
	o := serveOptions(t, dbPath, &opened)
	o.HostKey = filepath.Join(dir, "hostname")
	if err := os.WriteFile(o.HostKey, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := serve(o)
	if err == nil || !strings.Contains(err.Error(), "host key "+o.HostKey) {
		t.Fatalf("serve with an unusable host key: %v", err)
	}
	if opened != nil {
		opened.Close()
		t.Fatal("serve opened the store although its host key is unusable")
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Fatalf("serve with an unusable host key left %s: %v", dbPath, err)
	}
}

// startedDaemon runs a daemon on o's database and fixed loopback ports,
// quietly, and returns it with the store it opened. When the test ends the
// daemon is shut down (again, harmlessly, after the test did), then the
// store closed: cleanups run last first.
func startedDaemon(t *testing.T, o cli.ServeOptions, opened **storage.Store) *daemon {
	t.Helper()
	ports := testkit.FreePorts(t, 2)
	o.SSHAddr, o.HTTPAddr = testkit.Addr(ports[0]), testkit.Addr(ports[1])
	d, err := newDaemon(o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { (*opened).Close() })
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		d.Shutdown(ctx)
	})
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d
}

// Shutdown ends the scheduler and the mail worker before it returns, so
// that the store can close; the store itself stays open for its opener.
func TestShutdownStopsTheWorkersAndLeavesTheStoreOpen(t *testing.T) {
	var opened *storage.Store
	d := startedDaemon(t, serveOptions(t, filepath.Join(t.TempDir(), "k.db"), &opened), &opened)
	for _, worker := range []string{"keyrack/mail.(*Worker).Run", "keyrack/scheduler.Run"} {
		testkit.Eventually(t, 10*time.Second, worker+" runs", func() bool { return goroutinesRunning(worker) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d.Shutdown(ctx)
	if goroutinesRunning("keyrack/mail.(*Worker).Run") || goroutinesRunning("keyrack/scheduler.Run") {
		t.Fatal("Shutdown returned with a worker still running")
	}
	if _, err := opened.Keys(); err != nil {
		t.Fatalf("the store after Shutdown: %v", err)
	}
}

// Wait ends when its context does, and Shutdown then lets go of both ports.
func TestWaitEndsOnTheStopSignalAndShutdownFreesThePorts(t *testing.T) {
	var opened *storage.Store
	d := startedDaemon(t, serveOptions(t, filepath.Join(t.TempDir(), "k.db"), &opened), &opened)
	stop, stopNow := context.WithCancel(context.Background())
	waited := make(chan error, 1)
	go func() { waited <- d.Wait(stop, nil) }()
	stopNow()
	if err := <-waited; err != nil {
		t.Fatalf("Wait after the stop signal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d.Shutdown(ctx)
	for _, addr := range []string{d.o.SSHAddr, d.o.HTTPAddr} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("after Shutdown %s is still held: %v", addr, err)
		}
		ln.Close()
	}
}
