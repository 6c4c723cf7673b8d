package ui

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"golang.org/x/crypto/ssh"
)

// sshKeyForTest is the authorized_keys line of a fixed ed25519 key: the
// same fingerprint on every run.
func sshKeyForTest(t testing.TB, seed byte, comment string) string {
	t.Helper()
	priv := ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune('a'+seed%26)), ed25519.SeedSize)))
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " " + comment
}

// seedMailStore is seedStore with three members (two admins) and three
// mails, newest first: pending (no SMTP server), failed with an error, sent.
func seedMailStore(t testing.TB) (*storage.Store, *clock.Fake, map[string]model.Key) {
	t.Helper()
	s, clk, keys := seedStore(t)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddMember("keyrack", "admin@example.com", model.RoleAdmin, []string{sshKeyForTest(t, 0, "alice@laptop")}))
	must(s.AddMember("keyrack", "ops@example.com", model.RoleAdmin,
		[]string{sshKeyForTest(t, 1, "ops@ci"), sshKeyForTest(t, 2, "ops@desk")}))
	must(s.AddMember("keyrack", "fin@example.com", model.RoleFinance, nil))
	clk.Advance(time.Minute)
	must(s.Rename("alice@example.com", keys["staging"].ID, "Staging env")) // no mail
	deploy, _, err := s.Create("alice@example.com", "Deploy bot", model.AllPermissions())
	must(nil, err)
	clk.Advance(time.Minute)
	must(nil, s.Delete("bob@example.com", deploy.ID))
	clk.Advance(time.Minute)
	_, _, err = s.Rotate("alice@example.com", keys["default"].ID, 0)
	must(nil, err)
	mails, err := s.Outbox(0)
	must(nil, err)
	if len(mails) != 3 {
		t.Fatalf("%d mails in the outbox, want 3", len(mails))
	}
	must(nil, s.MarkWaiting(mails[0].ID, "no SMTP server configured"))
	must(nil, s.MarkFailed(mails[1].ID, "dial tcp 127.0.0.1:25: connect: connection refused", clk.Now().Add(4*time.Minute)))
	must(nil, s.MarkSent(mails[2].ID, clk.Now().Add(-90*time.Second)))
	clk.Advance(10 * time.Second)
	return s, clk, keys
}

// waitLoaded waits until the open view has read its data.
func (h *harness) waitLoaded() {
	h.t.Helper()
	h.waitFor("the view loaded", func() bool {
		switch p := h.m.pane.(type) {
		case *membersView:
			return p.loaded()
		case *outboxView:
			return p.loaded()
		case *auditView:
			return p.loaded()
		case *usageView:
			return p.loaded()
		case *matrixPane:
			return p.key.ID == "" || p.used != nil
		case nil:
			return h.usageSettled()
		}
		return true
	})
}

func mustMembers(t testing.TB, s interface {
	Members() ([]model.Member, error)
}) []model.Member {
	t.Helper()
	ms, err := s.Members()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}
