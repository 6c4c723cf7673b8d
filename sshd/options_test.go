package sshd

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	gossh "golang.org/x/crypto/ssh"
)

// memberWithLine adds carol@example.com as an admin whose key line is
// options + the key.
func memberWithLine(t *testing.T, ts *testServer, options string) gossh.Signer {
	t.Helper()
	carol := newSigner(t)
	if _, err := ts.st.AddMember("test", "carol@example.com", model.RoleAdmin, []string{options + " " + authorizedKey(carol)}); err != nil {
		t.Fatal(err)
	}
	return carol
}

func TestFromOptionRefusesOtherAddresses(t *testing.T) {
	ts := startServer(t)
	carol := memberWithLine(t, ts, `from="10.0.0.0/8"`)
	mark := ts.logs.Len()
	if c, err := ts.dial(gossh.PublicKeys(carol)); err == nil {
		c.Close()
		t.Fatal("a from=10.0.0.0/8 key logged in from 127.0.0.1")
	}
	testkit.Eventually(t, 2*time.Second, "the refusal logged with its reason", func() bool {
		return strings.Contains(ts.logs.From(mark), "key not allowed from 127.0.0.1")
	})
	dave := newSigner(t)
	if _, err := ts.st.AddMember("test", "dave@example.com", model.RoleAdmin, []string{`from="10.0.0.0/8,127.0.0.0/8,!127.0.0.2" ` + authorizedKey(dave)}); err != nil {
		t.Fatal(err)
	}
	if _, _, code := run(t, ts.login(dave), "version"); code != 0 {
		t.Error("a key allowed from 127.0.0.0/8 was refused from 127.0.0.1")
	}
}

func TestExpiredKeyIsRefused(t *testing.T) {
	ts := startServer(t)
	carol := memberWithLine(t, ts, `expiry-time="20200101Z"`)
	if c, err := ts.dial(gossh.PublicKeys(carol)); err == nil {
		c.Close()
		t.Fatal("a key past its expiry-time logged in")
	}
}

func TestNoPtyRefusesTheTerminalButRunsCommands(t *testing.T) {
	for _, opt := range []string{"no-pty", "restrict"} {
		t.Run(opt, func(t *testing.T) {
			ts := startServer(t)
			c := ts.login(memberWithLine(t, ts, opt))
			sess, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			defer sess.Close()
			if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err == nil {
				t.Error("a PTY was granted")
			}
			if out, _, code := run(t, c, "keys list"); code != 0 || !strings.Contains(out, "Default") {
				t.Errorf("keys list: exit %d, %q", code, out)
			}
		})
	}
}

func TestForwardingIsRefused(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req"} {
		if ok, err := sess.SendRequest(req, true, nil); ok || err != nil {
			t.Errorf("%s: answered %v, %v; want no", req, ok, err)
		}
	}
	if ch, _, err := c.OpenChannel("direct-tcpip", gossh.Marshal(struct {
		Host       string
		Port       uint32
		OriginHost string
		OriginPort uint32
	}{"127.0.0.1", 22, "127.0.0.1", 5555})); err == nil {
		ch.Close()
		t.Error("a direct-tcpip channel (ssh -L) was opened")
	}
	if ok, _, err := c.SendRequest("tcpip-forward", true, gossh.Marshal(struct {
		Addr string
		Port uint32
	}{"127.0.0.1", 0})); ok || err != nil {
		t.Errorf("tcpip-forward (ssh -R): answered %v, %v; want no", ok, err)
	}
	// The session is still usable after the refusals.
	if out, err := sess.Output("version"); err != nil || len(out) == 0 {
		t.Errorf("version after refusals: %v, %q", err, out)
	}
}

func TestUnsupportedOptionInABootstrapKeyStopsTheServer(t *testing.T) {
	ts := startServer(t)
	_, err := New(Config{Store: ts.st, AdminKeys: []string{`command="/bin/false" ` + authorizedKey(newSigner(t))}})
	if err == nil || !strings.Contains(err.Error(), `option "command" is not supported`) {
		t.Fatalf("New: %v, want the option named", err)
	}
}

func TestSplitAdminKeysKeepsCommasInsideOptions(t *testing.T) {
	a, b := authorizedKey(newSigner(t)), authorizedKey(newSigner(t))
	got := splitAdminKeys(`no-pty,from="10.0.0.0/8,127.0.0.1" ` + a + " laptop," + b)
	if len(got) != 2 || !strings.HasPrefix(got[0], `no-pty,from="10.0.0.0/8,127.0.0.1" `) || got[1] != b {
		t.Fatalf("split %q", got)
	}
	if _, err := parseAdminKeys(got); err != nil {
		t.Fatal(err)
	}
}

func TestSessionEndsWhenItsKeyExpires(t *testing.T) {
	clk := clock.NewFake(time.Now())
	ts := startServerWith(t, Config{Clock: clk})
	expiry := clk.Now().Add(time.Hour).UTC()
	carol := memberWithLine(t, ts, `expiry-time="`+expiry.Format("200601021504")+`Z"`)
	tm := openTerminal(t, ts.login(carol), 100, 30)
	tm.mustSee("Default", 0, 5*time.Second)
	clk.Advance(2 * time.Hour)
	tm.mustSee("your SSH key expired", 0, time.Second)
	if !tm.ended(time.Second) {
		t.Fatal("the session stayed open")
	}
}
