package sshd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/ui"
	gossh "golang.org/x/crypto/ssh"
)

// addAdmin adds bob@example.com as an admin with a new key.
func addAdmin(t *testing.T, ts *testServer) gossh.Signer {
	t.Helper()
	bob := newSigner(t)
	if _, err := ts.st.AddMember("test", "bob@example.com", model.RoleAdmin, []string{authorizedKey(bob)}); err != nil {
		t.Fatal(err)
	}
	return bob
}

// ended waits for the terminal's output to end.
func (tm *terminal) ended(within time.Duration) bool {
	select {
	case <-tm.done:
		return true
	case <-time.After(within):
		return false
	}
}

func TestLosingAccessClosesTheDashboardWithTheReason(t *testing.T) {
	for _, name := range []string{"member removed", "demoted", "key removed"} {
		t.Run(name, func(t *testing.T) {
			ts := startServer(t)
			bob := addAdmin(t, ts)
			bobConn := ts.login(bob)
			tm := openTerminal(t, bobConn, 100, 30)
			tm.mustSee("Default", 0, 5*time.Second)

			start := time.Now()
			var err error
			switch name {
			case "member removed":
				err = ts.st.RemoveMember("admin@example.com (SHA256:x)", "bob@example.com")
			case "demoted":
				_, err = ts.st.SetMemberRole("admin@example.com (SHA256:x)", "bob@example.com", model.RoleManager)
			case "key removed":
				_, err = ts.st.RemoveMemberSSHKey("admin@example.com (SHA256:x)", "bob@example.com", gossh.FingerprintSHA256(bob.PublicKey()))
			}
			if err != nil {
				t.Fatal(err)
			}
			tm.mustSee("your access was removed by admin@example.com (SHA256:x)", 0, time.Second)
			if !tm.ended(time.Second) {
				t.Fatal("the session stayed open")
			}
			t.Logf("closed %s after the commit", time.Since(start))
			var exit *gossh.ExitError
			if err := tm.sess.Wait(); err == nil || !asExit(err, &exit) || exit.ExitStatus() != 1 {
				t.Errorf("exit: %v, want status 1", err)
			}
			// A new session on the kept connection is refused at its start.
			if s, err := bobConn.NewSession(); err == nil {
				if out, _ := s.CombinedOutput("keys list"); !strings.Contains(string(out), "permission denied") {
					t.Errorf("a new session on the old connection ran: %q", out)
				}
			}
		})
	}
}

func asExit(err error, target **gossh.ExitError) bool {
	e, ok := err.(*gossh.ExitError)
	if ok {
		*target = e
	}
	return ok
}

func TestGuardRefusesStorageOnceAccessIsGone(t *testing.T) {
	ts := startServer(t)
	bob := addAdmin(t, ts)
	id, err := ts.srv.identify(bob.PublicKey(), remoteAddr(fakeAddr("127.0.0.1:5555")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	l := &live{id: id, ctx: ctx, revoke: cancel}
	g := guardedStore{Store: ui.FromStorage(ts.st), check: func() error { return ts.srv.stillAllowed(l, "") }}
	if _, _, err := g.Create(id.actor(), "before", model.AllPermissions()); err != nil {
		t.Fatalf("an admin was refused: %v", err)
	}
	if err := ts.st.RemoveMember("admin@example.com (SHA256:x)", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	keys, _ := ts.st.List()
	_, _, err = g.Create(id.actor(), "after", model.AllPermissions())
	if err == nil || !strings.Contains(err.Error(), "your access was removed by admin@example.com") {
		t.Fatalf("create after removal: %v", err)
	}
	if _, err := g.Reveal(id.actor(), keys[0].ID); err == nil {
		t.Error("reveal after removal went through")
	}
	if after, _ := ts.st.List(); len(after) != len(keys) {
		t.Errorf("%d keys created after the removal", len(after)-len(keys))
	}
	entries, _ := ts.st.Audit(1)
	if entries[0].Action != model.ActionMemberRemove {
		t.Errorf("the audit log's last entry is %s by %s, want the removal", entries[0].Action, entries[0].Actor)
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

func TestReloadWithoutABootstrapKeyClosesItsSessions(t *testing.T) {
	boot, other := newSigner(t), newSigner(t)
	ts := startServer(t, authorizedKey(boot))
	tm := openTerminal(t, ts.login(boot), 100, 30)
	tm.mustSee("Default", 0, 5*time.Second)

	if err := ts.srv.Reload([]string{`command="/bin/sh" ` + authorizedKey(other)}); err == nil || !strings.Contains(err.Error(), `"command"`) {
		t.Fatalf("a bad reload: %v, want the option named", err)
	}
	if _, _, code := run(t, ts.login(boot), "version"); code != 0 {
		t.Fatal("a refused reload changed the keys")
	}
	if err := ts.srv.Reload([]string{authorizedKey(other)}); err != nil {
		t.Fatal(err)
	}
	tm.mustSee("your access was removed by a reload of the server's admin keys", 0, time.Second)
	if !tm.ended(time.Second) {
		t.Fatal("the session stayed open")
	}
	if _, err := ts.dial(gossh.PublicKeys(boot)); err == nil {
		t.Error("the dropped key still logs in")
	}
	if _, _, code := run(t, ts.login(other), "version"); code != 0 {
		t.Error("the new key does not log in")
	}
}

func TestMemberAdminKeepsAccessWhenAlsoBootstrap(t *testing.T) {
	ts := startServer(t)
	bob := addAdmin(t, ts)
	if err := ts.srv.Reload([]string{authorizedKey(bob)}); err != nil {
		t.Fatal(err)
	}
	tm := openTerminal(t, ts.login(bob), 100, 30)
	tm.mustSee("Default", 0, 5*time.Second)
	if err := ts.st.RemoveMember("test", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	// Still a bootstrap key: the session goes on.
	mark := tm.out.Len()
	if _, _, err := ts.st.Create("test", "seen-after", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	tm.mustSee("seen-after", mark, 2*time.Second)
}

func TestLosingAccessEndsACommandStillReadingItsInput(t *testing.T) {
	ts := startServer(t)
	bob := addAdmin(t, ts)
	if _, err := ts.st.AddMember("test", "carol@example.com", model.RoleFinance, nil); err != nil {
		t.Fatal(err)
	}
	sess, err := ts.login(bob).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	stdin, _ := sess.StdinPipe()
	var stderr testkit.Buffer
	sess.Stderr = &stderr
	if err := sess.Start("members add-key carol@example.com -"); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 5*time.Second, "the command running", func() bool {
		ts.srv.mu.Lock()
		defer ts.srv.mu.Unlock()
		return len(ts.srv.live) == 1
	})
	if err := ts.st.RemoveMember("admin@example.com (SHA256:x)", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	stdin.Write([]byte(authorizedKey(newSigner(t)) + "\n")) // too late: the input fails
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err := <-done:
		var exit *gossh.ExitError
		if !asExit(err, &exit) || exit.ExitStatus() != 1 {
			t.Errorf("exit: %v, want status 1", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the command session stayed open")
	}
	if !strings.Contains(stderr.String(), "your access was removed by admin@example.com") {
		t.Errorf("stderr %q", stderr.String())
	}
	testkit.Eventually(t, 5*time.Second, "the command ended", func() bool {
		ts.srv.mu.Lock()
		defer ts.srv.mu.Unlock()
		return len(ts.srv.live) == 0
	})
	if ms, _ := ts.st.Members(); len(ms[1].SSHKeys) != 0 {
		t.Errorf("the revoked session added a key: %+v", ms[1])
	}
}
