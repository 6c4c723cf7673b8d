package sshd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	gossh "golang.org/x/crypto/ssh"
)

// watcherSubscriptions is the server's own store subscription: the
// watcher that cuts off sessions whose access was removed.
const watcherSubscriptions = 1

// testServer is a real server on 127.0.0.1:0 with a fresh store and one
// admin member, admin@example.com.
type testServer struct {
	t     testing.TB
	st    *storage.Store
	srv   *Server
	addr  string
	admin gossh.Signer
	logs  *testkit.Buffer
}

func startServer(t testing.TB, bootstrap ...string) *testServer {
	t.Helper()
	return startServerWith(t, Config{AdminKeys: bootstrap})
}

// startServerWith starts a server configured by cfg (Store and Logger are
// set here).
func startServerWith(t testing.TB, cfg Config) *testServer {
	t.Helper()
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(filepath.Join(t.TempDir(), "keyrack.db"), storage.Options{Org: "Acme", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, st: st, admin: newSigner(t), logs: &testkit.Buffer{}}
	if _, err := st.AddMember("test", "admin@example.com", model.RoleAdmin, []string{authorizedKey(ts.admin)}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Store, cfg.Logger = st, log
	ts.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	served := make(chan struct{})
	go func() {
		defer close(served)
		ts.srv.Serve(ln)
	}()
	testkit.Eventually(t, 5*time.Second, "the server watches the store", func() bool { return st.Subscribers() == watcherSubscriptions })
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ts.srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
		st.Close()
	})
	return ts
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorizedKey(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

func (ts *testServer) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "admin",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// login dials as the holder of signer and fails the test if refused.
func (ts *testServer) login(signer gossh.Signer) *gossh.Client {
	ts.t.Helper()
	c, err := ts.dial(gossh.PublicKeys(signer))
	if err != nil {
		ts.t.Fatalf("login: %v", err)
	}
	ts.t.Cleanup(func() { c.Close() })
	return c
}

// run runs a command without a terminal and returns its output and exit status.
func run(t testing.TB, c *gossh.Client, cmd string) (stdout, stderr string, code int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	err = sess.Run(cmd)
	var exit *gossh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitStatus()
	default:
		t.Fatalf("run %q: %v", cmd, err)
	}
	return out.String(), errb.String(), code
}

// terminal is a session with a PTY, its output collected as it comes.
type terminal struct {
	t     testing.TB
	sess  *gossh.Session
	stdin io.WriteCloser
	out   *testkit.Buffer
	done  chan struct{} // closed when the output ends
}

func openTerminal(t testing.TB, c *gossh.Client, width, height int) *terminal {
	t.Helper()
	tm, err := startTerminal(c, width, height)
	if err != nil {
		t.Fatal(err)
	}
	tm.t = t
	t.Cleanup(func() { tm.sess.Close() })
	return tm
}

// startTerminal opens a PTY session with a shell: the dashboard. It may
// run outside the test's goroutine.
func startTerminal(c *gossh.Client, width, height int) (*terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
		sess.Close()
		return nil, fmt.Errorf("pty: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	tm := &terminal{sess: sess, stdin: stdin, out: &testkit.Buffer{}, done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		io.Copy(tm.out, stdout)
	}()
	if err := sess.Shell(); err != nil {
		sess.Close()
		return nil, fmt.Errorf("shell: %w", err)
	}
	return tm, nil
}

// waitFor polls the output from offset on until it contains want.
func (tm *terminal) waitFor(want string, from int, within time.Duration) bool {
	return testkit.Poll(within, func() bool { return strings.Contains(tm.out.From(from), want) })
}

func (tm *terminal) mustSee(want string, from int, within time.Duration) {
	tm.t.Helper()
	if !tm.waitFor(want, from, within) {
		tm.t.Fatalf("%q did not appear within %s; screen output:\n%q", want, within, tail(tm.out.From(from), 2000))
	}
}

func (tm *terminal) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		tm.t.Fatalf("send %q: %v", keys, err)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
