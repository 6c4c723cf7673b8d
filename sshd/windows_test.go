package sshd

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/keyrack/keyrack/internal/testkit"
)

func TestManyWindowChangesThenQuitEndsTheDashboard(t *testing.T) {
	ts := startServer(t)
	tm := openTerminal(t, ts.login(ts.admin), 100, 30)
	tm.mustSee("Default", 0, 5*time.Second)
	for i := range 20000 {
		if err := tm.sess.WindowChange(20+i%40, 60+i%80); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	tm.send("q")
	if !tm.ended(2 * time.Second) {
		t.Fatal("q did not end the dashboard within 2 s after 20,000 window changes")
	}
}

// ptyCommand runs cmd in a PTY session after n window changes sent
// before it starts, and returns its output.
func ptyCommand(t testing.TB, c *gossh.Client, n int, cmd string) (string, error) {
	sess, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		return "", err
	}
	for i := range n {
		if err := sess.WindowChange(24+i%10, 80+i%10); err != nil {
			return "", err
		}
	}
	var out bytes.Buffer
	sess.Stdout = &out
	done := make(chan error, 1)
	go func() { done <- sess.Run(cmd) }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(5 * time.Second):
		return out.String(), os.ErrDeadlineExceeded
	}
}

func TestWindowChangesBeforeAPtyCommandDoNotBlockIt(t *testing.T) {
	ts := startServer(t)
	out, err := ptyCommand(t, ts.login(ts.admin), 40, "keys list")
	if err != nil || !strings.Contains(out, "Default") {
		t.Fatalf("keys list after 40 window changes: %v, output %q", err, out)
	}
}

func openFDs(t testing.TB) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("count fds: %v", err)
	}
	return len(entries)
}

func TestSessionsLeaveNoGoroutineOrFDBehind(t *testing.T) {
	ts := startServer(t)
	warm := ts.login(ts.admin) // the first login loads what stays loaded
	if _, err := ptyCommand(t, warm, 2, "version"); err != nil {
		t.Fatal(err)
	}
	warm.Close()
	testkit.Eventually(t, 5*time.Second, "the warm-up connection gone", func() bool { open, _, _ := ts.srv.connections(); return open == 0 })
	goroutines, fds := runtime.NumGoroutine(), openFDs(t)

	for i := range 50 {
		c, err := ts.dial(gossh.PublicKeys(ts.admin))
		if err != nil {
			t.Fatal(err)
		}
		if out, err := ptyCommand(t, c, 40, "keys list"); err != nil || !strings.Contains(out, "Default") {
			t.Fatalf("session %d: %v, %q", i, err, out)
		}
		if i%5 == 0 { // some dashboards too, resized while they run
			tm, err := startTerminal(c, 80, 24)
			if err != nil {
				t.Fatal(err)
			}
			for j := range 40 {
				_ = tm.sess.WindowChange(24+j, 80)
			}
			_, _ = tm.stdin.Write([]byte("q"))
			<-tm.done
		}
		c.Close()
	}
	var g, f int
	testkit.Eventually(t, 10*time.Second, "goroutines and fds back to idle", func() bool {
		g, f = runtime.NumGoroutine(), openFDs(t)
		return g <= goroutines && f <= fds
	})
	t.Logf("idle: %d goroutines, %d fds; after 50 sessions: %d, %d", goroutines, fds, g, f)
}
