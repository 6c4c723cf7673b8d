package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	pubKeyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMdLd7Xn4RjRqmhCzLvfZ5q3kC6nP8Qe0N5FJ8bKp0Ru"
	pubKeyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFBnmqOhKcrgJw7uHw6VFUDgPLd8iGCdzrjsGxgksKEE"
)

func (h *harness) membersJSON() []memberJSON {
	h.t.Helper()
	var ms []memberJSON
	out := h.ok("members", "list", "--json")
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		h.t.Fatalf("members list --json printed %q: %v", out, err)
	}
	return ms
}

func TestMembersAddListRemove(t *testing.T) {
	h := newHarness(t)
	if out := h.ok("members", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty members list --json = %q, want []", out)
	}
	pub := filepath.Join(t.TempDir(), "id_ed25519.pub")
	if err := os.WriteFile(pub, []byte("# laptop\n"+pubKeyB+" ada@laptop\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := h.ok("members", "add", "Ada@Example.com", "--ssh-key", pubKeyA+" ada@desk", "--ssh-key", pub)
	if !strings.Contains(out, "added ada@example.com as admin with SSH key SHA256:") {
		t.Errorf("add printed %q", out)
	}
	h.ok("members", "add", "--role", "finance", "fin@example.com")

	ms := h.membersJSON()
	if len(ms) != 2 || ms[0].Email != "ada@example.com" || ms[0].Role != "admin" || ms[1].Role != "finance" {
		t.Fatalf("members %+v", ms)
	}
	if len(ms[0].SSHKeys) != 2 || ms[0].SSHKeys[0].Key != pubKeyA || !strings.HasPrefix(ms[0].SSHKeys[1].Fingerprint, "SHA256:") || ms[1].SSHKeys == nil {
		t.Fatalf("ssh keys %+v / %+v", ms[0].SSHKeys, ms[1].SSHKeys)
	}
	table := h.ok("members", "list")
	if !strings.Contains(table, ms[0].SSHKeys[1].Fingerprint) || strings.Contains(table, "AAAA") {
		t.Errorf("table shows fingerprints, not keys:\n%s", table)
	}

	h.ok("members", "remove", "FIN@example.com")
	if ms := h.membersJSON(); len(ms) != 1 {
		t.Fatalf("after remove: %+v", ms)
	}
	actions := []string{}
	for _, e := range h.auditJSON("--limit", "3") {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "member_remove member_add member_add" {
		t.Errorf("audit %v", actions)
	}
}

func TestMembersBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.ok("members", "add", "ada@example.com", "--ssh-key", pubKeyA)
	empty := filepath.Join(t.TempDir(), "empty.pub")
	os.WriteFile(empty, []byte("# nothing\n"), 0o600)
	for _, tc := range []struct {
		code int
		args []string
		want string
	}{
		{1, []string{"members", "add", "not-an-email"}, "invalid email address"},
		{1, []string{"members", "add", "ADA@example.com"}, "member ada@example.com already exists"},
		{2, []string{"members", "add", "bob@example.com", "--role", "owner"}, "unknown role"},
		{2, []string{"members", "add", "bob@example.com", "--ssh-key", "ssh-ed25519 AAAA"}, "invalid SSH public key"},
		{2, []string{"members", "add", "bob@example.com", "--ssh-key", "/no/such/key.pub"}, "neither an SSH public key nor a readable file"},
		{2, []string{"members", "add", "bob@example.com", "--ssh-key", empty}, "holds no SSH public key"},
		{1, []string{"members", "add", "bob@example.com", "--ssh-key", pubKeyA}, "already belongs to ada@example.com"},
		{1, []string{"members", "remove", "bob@example.com"}, "no member bob@example.com"},
		{2, []string{"members", "add"}, "takes 1 argument (EMAIL), got 0"},
	} {
		if errOut := h.fails(tc.code, tc.args...); !strings.Contains(errOut, tc.want) {
			t.Errorf("keyrack %s: stderr %q, want %q", strings.Join(tc.args, " "), errOut, tc.want)
		}
	}
	if ms := h.membersJSON(); len(ms) != 1 || len(ms[0].SSHKeys) != 1 {
		t.Fatalf("members changed: %+v", ms)
	}
	if n := len(h.auditJSON("--limit", "0")); n != 3 {
		t.Fatalf("%d audit records, want 3 (organization, first key, member)", n)
	}
}
