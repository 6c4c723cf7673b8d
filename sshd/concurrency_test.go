package sshd

import (
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/keyrack/keyrack/internal/testkit"
)

// TestConcurrentSessions runs 10 dashboards and 10 command sessions that
// create (and the command sessions also delete) keys for ten seconds, then
// checks that every operation landed exactly once and that nothing the
// sessions started outlives them.
func TestConcurrentSessions(t *testing.T) {
	duration := 10 * time.Second
	if testing.Short() {
		duration = 2 * time.Second
	}
	ts := startServer(t)
	baseline := runtime.NumGoroutine()
	deadline := time.Now().Add(duration)

	var (
		mu     sync.Mutex
		want   = map[string]bool{"Default": true} // names that must exist at the end
		wg     sync.WaitGroup
		errs   = make(chan error, 20)
		counts [2]int // operations done by dashboards, by commands
	)
	record := func(kind int, name string, exists bool) {
		mu.Lock()
		defer mu.Unlock()
		if exists {
			want[name] = true
		} else {
			delete(want, name)
		}
		counts[kind]++
	}
	for w := range 10 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- dashboardWorker(ts, w, deadline, func(name string) { record(0, name, true) })
		}()
		go func() {
			defer wg.Done()
			errs <- commandWorker(ts, w, deadline, record)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		return
	}

	keys, err := ts.st.List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, k := range keys {
		if got[k.Name] {
			t.Errorf("two keys named %q", k.Name)
		}
		got[k.Name] = true
	}
	if !maps.Equal(got, want) {
		t.Errorf("store has %d keys, want %d; missing %v, extra %v", len(got), len(want), diff(want, got), diff(got, want))
	}
	t.Logf("%d dashboard creates, %d command operations, %d keys at the end", counts[0], counts[1], len(keys))

	testkit.Eventually(t, 10*time.Second, "store subscriptions back to the watcher's", func() bool { return ts.st.Subscribers() == watcherSubscriptions })
	var now int
	testkit.Eventually(t, 10*time.Second, "goroutines back to the baseline", func() bool {
		now = runtime.NumGoroutine()
		return now <= baseline
	})
	t.Logf("goroutines: %d before, %d after", baseline, now)
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// dashboardWorker creates keys through the dashboard's n flow, as an
// admin at a keyboard would, moving the cursor in between.
func dashboardWorker(ts *testServer, w int, deadline time.Time, created func(string)) error {
	c, err := ts.dial(gossh.PublicKeys(ts.admin))
	if err != nil {
		return err
	}
	defer c.Close()
	tm, err := startTerminal(c, 100, 30)
	if err != nil {
		return err
	}
	defer tm.sess.Close()
	if !tm.waitFor("API keys", 0, 10*time.Second) {
		return fmt.Errorf("dashboard %d never showed", w)
	}
	step := func(keys, want string) error {
		mark := tm.out.Len()
		if _, err := tm.stdin.Write([]byte(keys)); err != nil {
			return err
		}
		if !tm.waitFor(want, mark, 10*time.Second) {
			return fmt.Errorf("dashboard %d: %q did not appear after %q; output:\n%q", w, want, keys, tail(tm.out.From(mark), 800))
		}
		return nil
	}
	for i := 0; time.Now().Before(deadline); i++ {
		name := fmt.Sprintf("pty-%d-%d", w, i)
		for _, s := range [][2]string{
			{"n", "New API key"},
			{name, name},
			{"\r", "Expires after"},
			{"\r", "Permissions of the new key"},
			{"\r", "created " + name},
		} {
			if err := step(s[0], s[1]); err != nil {
				return err
			}
		}
		created(name)
		if _, err := tm.stdin.Write([]byte("jk")); err != nil {
			return err
		}
	}
	return nil
}

// commandWorker creates keys with `keys create`, deletes every third one
// it made with `keys delete`, and checks `keys list --json` as it goes.
func commandWorker(ts *testServer, w int, deadline time.Time, record func(kind int, name string, exists bool)) error {
	c, err := ts.dial(gossh.PublicKeys(ts.admin))
	if err != nil {
		return err
	}
	defer c.Close()
	cmd := func(command string) (string, error) {
		sess, err := c.NewSession()
		if err != nil {
			return "", err
		}
		defer sess.Close()
		var out, errOut strings.Builder
		sess.Stdout, sess.Stderr = &out, &errOut
		if err := sess.Run(command); err != nil {
			return "", fmt.Errorf("command worker %d: %s: %v: %s", w, command, err, errOut.String())
		}
		return out.String(), nil
	}
	for i := 0; time.Now().Before(deadline); i++ {
		name := fmt.Sprintf("cmd-%d-%d", w, i)
		out, err := cmd("keys create --json --name " + name)
		if err != nil {
			return err
		}
		var k struct{ ID, Name string }
		if err := json.Unmarshal([]byte(out), &k); err != nil || k.Name != name {
			return fmt.Errorf("command worker %d: create printed %q (%v)", w, out, err)
		}
		record(1, name, true)
		switch i % 3 {
		case 2:
			if _, err := cmd("keys delete " + k.ID); err != nil {
				return err
			}
			record(1, name, false)
		case 1:
			out, err := cmd("keys list --json")
			if err != nil {
				return err
			}
			var keys []struct{ Name string }
			if err := json.Unmarshal([]byte(out), &keys); err != nil || len(keys) == 0 {
				return fmt.Errorf("command worker %d: list printed %d bytes (%v)", w, len(out), err)
			}
		}
	}
	return nil
}
