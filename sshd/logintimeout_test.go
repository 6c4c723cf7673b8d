package sshd

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
)

// startWithLoginTimeout serves ts's store on a second server whose login
// timeout is d, and returns its address.
func startWithLoginTimeout(t *testing.T, ts *testServer, d time.Duration) string {
	t.Helper()
	srv, err := New(Config{Store: ts.st, Logger: ts.srv.log, LoginTimeout: d})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() { defer close(served); srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-served
	})
	return ln.Addr().String()
}

func TestConnectionThatNeverLogsInIsClosedAfterTheLoginTimeout(t *testing.T) {
	ts := startServer(t)
	addr := startWithLoginTimeout(t, ts, 300*time.Millisecond)
	start := time.Now() // before the server's deadline starts: took cannot be less, however slow the machine
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.Copy(io.Discard, conn) // the server's banner, then nothing
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("a client that says nothing still holds its connection after 5 s")
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("closed after %s, before the login timeout", took)
	}
	if !testkit.Poll(5*time.Second, func() bool { return strings.Contains(ts.logs.String(), "did not log in within 300ms") }) {
		t.Fatalf("no log line for the timed-out login:\n%s", ts.logs.String())
	}
}

func TestLoginTimeoutDoesNotEndALoggedInConnection(t *testing.T) {
	ts := startServer(t)
	ts.addr = startWithLoginTimeout(t, ts, 300*time.Millisecond)
	c := ts.login(ts.admin)
	// A connection opened after the login never logs in: once the server
	// has cut it off, the logged-in connection's login deadline, which
	// came earlier, has passed too.
	idle, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, idle); err != nil {
		t.Fatalf("the connection that never logs in was not cut off: %v", err)
	}
	if _, stderr, code := run(t, c, "version"); code != 0 {
		t.Fatalf("after the login timeout: exit %d, %s", code, stderr)
	}
}
