package sshd

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkChangeReaches50IdleDashboards opens 50 idle dashboards, then
// times how long one change takes to show on all of them. It reports the
// slowest arrival per change and the heap and stacks each idle session
// costs (client side included: both ends run in this process, so it is an
// upper bound).
func BenchmarkChangeReaches50IdleDashboards(b *testing.B) {
	const sessions = 50
	ts := startServer(b)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutinesBefore := runtime.NumGoroutine()

	watchers := make([]*arrival, sessions)
	for i := range watchers {
		c := ts.login(ts.admin)
		sess, err := c.NewSession()
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { sess.Close() })
		if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
			b.Fatal(err)
		}
		watchers[i] = &arrival{}
		watchers[i].expect("API keys")
		sess.Stdout = watchers[i]
		// Input that stays open: a dashboard ends when its input does.
		keyboard, _ := io.Pipe()
		sess.Stdin = keyboard
		if err := sess.Shell(); err != nil {
			b.Fatal(err)
		}
	}
	waitAll(b, watchers, time.Now(), 10*time.Second)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perSession := float64(after.HeapInuse+after.StackInuse-before.HeapInuse-before.StackInuse) / sessions
	goroutinesPerSession := float64(runtime.NumGoroutine()-goroutinesBefore) / sessions

	// Each change renames one key, so that it stays on every screen.
	k, _, err := ts.st.Create("bench", "bench", model.AllPermissions())
	if err != nil {
		b.Fatal(err)
	}
	var slowest time.Duration
	b.ResetTimer()
	for i := range b.N {
		name := fmt.Sprintf("bench-%d", i)
		for _, w := range watchers {
			w.expect(name)
		}
		start := time.Now()
		if _, err := ts.st.Rename("bench", k.ID, name); err != nil {
			b.Fatal(err)
		}
		slowest = max(slowest, waitAll(b, watchers, start, 10*time.Second))
	}
	b.StopTimer()
	b.ReportMetric(float64(slowest.Microseconds())/1000, "ms-slowest-of-50")
	b.ReportMetric(perSession/(1<<20), "MiB/idle-session")
	b.ReportMetric(goroutinesPerSession, "goroutines/session")
}

// waitAll waits until every watcher saw its text and returns the latest
// arrival after start.
func waitAll(b *testing.B, ws []*arrival, start time.Time, within time.Duration) time.Duration {
	deadline := start.Add(within)
	var last time.Duration
	for i, w := range ws {
		at, ok := w.wait(deadline)
		if !ok {
			b.Fatalf("dashboard %d of %d did not show %q within %s", i+1, len(ws), w.want, within)
		}
		last = max(last, at.Sub(start))
	}
	return last
}

// arrival is a terminal that keeps only the last few bytes of output and
// notes when an expected text arrives.
type arrival struct {
	mu   sync.Mutex
	tail []byte
	want string
	at   time.Time
}

func (a *arrival) expect(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.want, a.at, a.tail = s, time.Time{}, a.tail[:0]
}

func (a *arrival) Write(p []byte) (int, error) {
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tail = append(a.tail, p...)
	if a.at.IsZero() && a.want != "" && bytes.Contains(a.tail, []byte(a.want)) {
		a.at = now
	}
	if keep := 256; len(a.tail) > keep {
		a.tail = append(a.tail[:0], a.tail[len(a.tail)-keep:]...)
	}
	return len(p), nil
}

func (a *arrival) wait(deadline time.Time) (time.Time, bool) {
	for {
		a.mu.Lock()
		at := a.at
		a.mu.Unlock()
		if !at.IsZero() {
			return at, true
		}
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		time.Sleep(time.Millisecond)
	}
}
