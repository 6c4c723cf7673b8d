package sshd

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/api"
	"github.com/keyrack/keyrack/internal/testkit"
	gossh "golang.org/x/crypto/ssh"
)

// dialFrom opens a TCP connection to addr from the loopback address src.
func dialFrom(t *testing.T, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", src, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// admitted reports whether the server spoke first (its version line), as
// it does to every connection it takes on; a refused one is closed
// before a byte.
func admitted(t *testing.T, c net.Conn) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	b := make([]byte, 8)
	n, err := io.ReadFull(c, b)
	if err != nil && n == 0 {
		return false
	}
	return strings.HasPrefix(string(b[:n]), "SSH-2.0")
}

// startHTTP serves the api package's handler on loopback for the test.
func startHTTP(t *testing.T, ts *testServer) string {
	t.Helper()
	srv, err := api.New(api.Options{Store: ts.st})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

func TestIdleConnectionsAreCappedAndHTTPStillAnswers(t *testing.T) {
	ts := startServerWith(t, Config{MaxPending: 8, MaxPendingPerAddr: 4})
	base := startHTTP(t, ts)
	mark := ts.logs.Len()

	got := map[string]int{}
	idle := map[string][]net.Conn{}
	for _, src := range []string{"127.0.0.1", "127.0.0.2", "127.0.0.3"} {
		for range 6 {
			c := dialFrom(t, src, ts.addr)
			if admitted(t, c) {
				got[src]++
				idle[src] = append(idle[src], c)
			}
		}
	}
	if got["127.0.0.1"] != 4 || got["127.0.0.2"] != 4 || got["127.0.0.3"] != 0 {
		t.Errorf("admitted per address %v, want 4, 4 and 0 (4 per address, 8 in all)", got)
	}
	open, pending, refused := ts.srv.connections()
	if open != 8 || pending != 8 || refused != 10 {
		t.Errorf("open %d, pending %d, refused %d; want 8, 8, 10", open, pending, refused)
	}
	if n := strings.Count(ts.logs.From(mark), "ssh connection refused over the limits"); n != 1 {
		t.Errorf("%d log lines for 10 refused connections, want 1 (then a summary)", n)
	}

	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz during the flood: %v %v", resp, err)
	}
	resp.Body.Close()

	// A connection that goes away gives its slots back.
	for _, c := range idle["127.0.0.1"] {
		c.Close()
	}
	testkit.Eventually(t, 5*time.Second, "the closed connections' slots back", func() bool {
		open, pending, _ := ts.srv.connections()
		return open == 4 && pending == 4
	})
	if _, _, code := run(t, ts.login(ts.admin), "version"); code != 0 {
		t.Error("an admin could not log in once slots were free")
	}
}

func TestLoginGivesBackItsPendingSlot(t *testing.T) {
	ts := startServerWith(t, Config{MaxPending: 2, MaxPendingPerAddr: 2})
	for range 3 {
		c, err := ts.dial(gossh.PublicKeys(ts.admin))
		if err != nil {
			t.Fatalf("login with the cap at 2: %v", err)
		}
		if _, pending, _ := ts.srv.connections(); pending != 0 {
			t.Errorf("%d pending after the login", pending)
		}
		defer c.Close()
	}
	if open, _, refused := ts.srv.connections(); open != 3 || refused != 0 {
		t.Errorf("open %d, refused %d; want 3 logged-in connections and no refusal", open, refused)
	}
}
