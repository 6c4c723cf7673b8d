package cli

import (
	"bytes"
	"strings"
	"testing"
)

// runIn runs one command with stdin and returns its exit status, stdout
// and stderr.
func (h *harness) runIn(stdin string, remote bool, args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Store: h.store, Actor: "alice@example.com", Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Remote: remote}
	return Run(env, args), out.String(), errOut.String()
}

func TestMembersRoleAddKeyRemoveKey(t *testing.T) {
	h := newHarness(t)
	h.ok("members", "add", "ada@example.com", "--ssh-key", pubKeyA)
	if out := h.ok("members", "role", "ADA@example.com", "Manager"); out != "ada@example.com is manager\n" {
		t.Errorf("role printed %q", out)
	}
	code, out, errOut := h.runIn(`no-pty,from="10.0.0.0/8" `+pubKeyB+" ada@laptop\n", true, "members", "add-key", "ada@example.com", "-")
	if code != 0 || !strings.Contains(out, "added SSH key SHA256:") {
		t.Fatalf("add-key - over SSH: exit %d, %q, %q", code, out, errOut)
	}
	ms := h.membersJSON()
	if ms[0].Role != "manager" || len(ms[0].SSHKeys) != 2 || ms[0].SSHKeys[1].Key != `no-pty,from="10.0.0.0/8" `+pubKeyB {
		t.Fatalf("member %+v", ms[0])
	}
	fp := ms[0].SSHKeys[0].Fingerprint
	if out := h.ok("members", "remove-key", "ada@example.com", fp); !strings.Contains(out, "removed SSH key "+fp) {
		t.Errorf("remove-key printed %q", out)
	}
	if ms := h.membersJSON(); len(ms[0].SSHKeys) != 1 {
		t.Fatalf("keys after remove-key: %+v", ms[0].SSHKeys)
	}
	var actions []string
	for _, e := range h.auditJSON("--limit", "3") {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "member_ssh_key_remove member_ssh_key member_role" {
		t.Errorf("audit %v", actions)
	}
}

func TestMemberEditsRefuseBadInput(t *testing.T) {
	h := newHarness(t)
	h.ok("members", "add", "ada@example.com", "--ssh-key", pubKeyA)
	for _, tc := range []struct {
		code  int
		stdin string
		args  []string
		want  string
	}{
		{2, "", []string{"members", "role", "ada@example.com", "owner"}, "unknown role"},
		{1, "", []string{"members", "role", "bob@example.com", "admin"}, "no member bob@example.com"},
		{2, "", []string{"members", "role", "ada@example.com"}, "takes 2 arguments"},
		{2, "", []string{"members", "add-key", "ada@example.com", "-"}, "stdin holds no SSH public key"},
		{2, `command="/bin/sh" ` + pubKeyB, []string{"members", "add-key", "ada@example.com", "-"}, `option "command" is not supported`},
		{2, pubKeyB + "\n" + pubKeyA, []string{"members", "add-key", "ada@example.com", "-"}, "adds one at a time"},
		{2, "", []string{"members", "add-key", "ada@example.com", `permitopen="x:1" ` + pubKeyB}, `option "permitopen"`},
		{1, "", []string{"members", "add-key", "ada@example.com", pubKeyA}, "already belongs to ada@example.com"},
		{1, "", []string{"members", "remove-key", "ada@example.com", "SHA256:nope"}, "has no SSH key SHA256:nope"},
	} {
		code, out, errOut := h.runIn(tc.stdin, false, tc.args...)
		if code != tc.code || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("keyrack %s: exit %d (want %d), stdout %q, stderr %q (want %q)", strings.Join(tc.args, " "), code, tc.code, out, errOut, tc.want)
		}
	}
	if ms := h.membersJSON(); ms[0].Role != "admin" || len(ms[0].SSHKeys) != 1 {
		t.Fatalf("refused edits changed the member: %+v", ms[0])
	}
}
