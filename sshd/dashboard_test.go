package sshd

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestTerminalSessionShowsDashboard(t *testing.T) {
	ts := startServer(t)
	tm := openTerminal(t, ts.login(ts.admin), 100, 30)
	tm.mustSee("API keys", 0, 5*time.Second)
	tm.mustSee("Default", 0, 5*time.Second)
	tm.send("q")
	select {
	case <-tm.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end after q")
	}
	if err := tm.sess.Wait(); err != nil {
		t.Errorf("exit after q: %v", err)
	}
}

func TestTerminalWithoutSizeGetsDefaultSize(t *testing.T) {
	ts := startServer(t)
	tm := openTerminal(t, ts.login(ts.admin), 0, 0) // ssh -tt host > file
	tm.mustSee("API keys", 0, 5*time.Second)
}

func TestRotationInOneSessionAppearsInAnother(t *testing.T) {
	ts := startServer(t)
	alice := openTerminal(t, ts.login(ts.admin), 120, 32)
	bob := openTerminal(t, ts.login(ts.admin), 120, 32)
	alice.mustSee("Default", 0, 5*time.Second)
	bob.mustSee("Default", 0, 5*time.Second)
	before := keyIDs(t, ts)

	mark := bob.out.Len()
	alice.send("r")
	alice.mustSee("Rotate Default", 0, 2*time.Second)
	start := time.Now()
	alice.send("\r") // Immediately
	var rotated model.Key
	testkit.Eventually(t, 2*time.Second, "the rotation committed", func() bool {
		keys, err := ts.st.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if !before[k.ID] {
				rotated = k
				return true
			}
		}
		return false
	})
	bob.mustSee(rotated.Masked(), mark, time.Second+time.Since(start))
	t.Logf("rotation reached the other dashboard in %s", time.Since(start))
}

func TestStoreChangeReachesDashboardWithinASecond(t *testing.T) {
	ts := startServer(t)
	tm := openTerminal(t, ts.login(ts.admin), 120, 32)
	tm.mustSee("Default", 0, 5*time.Second)
	mark := tm.out.Len()
	start := time.Now()
	if _, _, err := ts.st.Create("test", "made-elsewhere", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	tm.mustSee("made-elsewhere", mark, time.Second)
	t.Logf("change reached the dashboard in %s", time.Since(start))
}

func TestDashboardEndsWithItsSessionOnAConnectionKeptOpen(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin) // like ssh's ControlMaster: the connection outlives the session
	tm := openTerminal(t, c, 100, 30)
	tm.mustSee("API keys", 0, 5*time.Second)
	if ts.st.Subscribers() != watcherSubscriptions+1 {
		t.Fatalf("%d subscriptions with one dashboard open", ts.st.Subscribers())
	}
	tm.sess.Close()
	testkit.Eventually(t, 5*time.Second, "the dashboard's subscription ended", func() bool { return ts.st.Subscribers() == watcherSubscriptions })
	if _, errOut, code := run(t, c, "keys list"); code != 0 {
		t.Fatalf("the connection is unusable afterwards: %s", errOut)
	}
}

func TestShutdownTellsOpenSessions(t *testing.T) {
	ts := startServer(t)
	tm := openTerminal(t, ts.login(ts.admin), 100, 30)
	tm.mustSee("API keys", 0, 5*time.Second)
	if err := ts.srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	tm.mustSee(msgShuttingDown, 0, 2*time.Second)
	if ts.st.Subscribers() != 0 {
		t.Errorf("%d store subscriptions left after shutdown", ts.st.Subscribers())
	}
	if _, err := ts.dial(); err == nil {
		t.Error("a connection was accepted after shutdown")
	}
}

func keyIDs(t *testing.T, ts *testServer) map[string]bool {
	t.Helper()
	keys, err := ts.st.List()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, k := range keys {
		ids[k.ID] = true
	}
	return ids
}
