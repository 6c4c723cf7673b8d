package sshd

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
)

// Shutdown right after Serve starts must not leave Serve blocked in Accept
// (a race: Serve may not have handed the listener to the ssh server yet).
func TestShutdownRightAfterServeStops(t *testing.T) {
	ts := startServer(t)
	for range 50 {
		srv, err := New(Config{Store: ts.st, Logger: ts.srv.log})
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-served:
			if !errors.Is(err, ssh.ErrServerClosed) {
				t.Fatalf("Serve returned %v, want ErrServerClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve still running after Shutdown")
		}
	}
}
