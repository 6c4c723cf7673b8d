package testkit

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"
)

// FreePorts returns n distinct TCP ports on 127.0.0.1 that were free a
// moment ago. Another process may take one before the caller binds it, so
// callers that start a program on them retry with fresh ports (see
// StartListening).
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close() // held until all are picked, so the n are distinct
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// Addr is "127.0.0.1:port".
func Addr(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// ErrExited is returned by WaitListening when the program ended first.
var ErrExited = errors.New("the program exited")

// WaitListening waits until addr accepts TCP connections, for at most
// timeout; it gives up at once with ErrExited when exited is closed.
func WaitListening(addr string, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-exited:
			return ErrExited
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not listening after %s: %w", addr, timeout, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a port: nothing to wait on
	}
}
