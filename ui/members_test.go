package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// paste delivers text as a terminal's bracketed paste does: one message.
func (h *harness) paste(text string) {
	h.deliver(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
}

func TestAddMemberThroughTheDialog(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.wantScreen("no members yet")
	h.press("a", "New@Example.com", "enter")
	h.wantScreen("Role of new@example.com")
	h.press("down", "up", "enter") // admin, the first choice
	h.wantScreen("SSH public key, optional")
	key := sshKeyForTest(t, 3, "new@laptop")
	h.paste(key + "\r\n")
	h.press("enter")
	h.wantScreen("added new@example.com as admin")
	h.wantScreen("SHA256:") // the list reloaded with the fingerprint

	ms := mustMembers(t, s)
	if len(ms) != 1 || ms[0].Email != "new@example.com" || ms[0].Role != model.RoleAdmin {
		t.Fatalf("storage has %+v", ms)
	}
	if fps := ms[0].Fingerprints(); len(fps) != 1 || fps[0] != model.Fingerprint(key) {
		t.Fatalf("fingerprints %v, want %s", fps, model.Fingerprint(key))
	}
	if _, ok := h.m.pane.(*membersView); !ok {
		t.Fatalf("the members view should be back:\n%s", h.screen())
	}

	// Added before the selected member in email order, the new one is selected.
	h.press("a", "aaa@example.com", "enter", "enter", "enter")
	h.wantScreen("added aaa@example.com")
	h.wantScreen("> aaa@example.com")
	h.press("down")
	h.deliver(changedMsg{})
	h.waitFor("the reload", func() bool { return len(h.m.pane.(*membersView).data) == 2 })
	h.press("a", "b@example.com", "enter", "enter", "esc") // cancelled: nothing moves
	h.deliver(changedMsg{})
	h.wantScreen("> new@example.com")
}

func TestAddMemberWithoutSSHKeyAsFinance(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 60, 16)
	h.press("m", "a", "fin@example.com", "enter", "3", "enter", "enter")
	h.wantScreen("added fin@example.com as finance")
	if ms := mustMembers(t, s); len(ms) != 1 || ms[0].Role != model.RoleFinance || len(ms[0].SSHKeys) != 0 {
		t.Fatalf("storage has %+v", ms)
	}
}

func TestBadMemberInputShowsErrorAndChangesNothing(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	before := mustMembers(t, s)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")

	h.press("a", "not an email", "enter")
	h.wantScreen("✗ invalid email address")
	if !strings.Contains(h.screen(), "› not an email") {
		t.Fatalf("the prompt should stay open with the text to fix:\n%s", h.screen())
	}
	h.press("esc")

	h.press("a", "x@example.com", "enter", "enter", "ssh-ed25519 AAAAnot-base64", "enter")
	h.wantScreen("✗ invalid SSH public key")
	h.press("esc")

	h.press("a", "Admin@example.com", "enter", "enter", "enter")
	h.wantScreen("already exists")

	h.press("k")
	h.paste(sshKeyForTest(t, 1, "someone-else")) // ops@example.com holds it
	h.press("enter")
	h.wantScreen("✗ add SSH key: SSH key SHA256:")
	if !strings.Contains(h.m.status.text, "already belongs to ops@example.com") { // cut on screen at 80 columns
		t.Fatalf("status %q", h.m.status.text)
	}

	after := mustMembers(t, s)
	if len(after) != len(before) {
		t.Fatalf("members changed: %+v", after)
	}
	for i := range after {
		if after[i].Email != before[i].Email || len(after[i].SSHKeys) != len(before[i].SSHKeys) {
			t.Fatalf("member changed: %+v, was %+v", after[i], before[i])
		}
	}
}

func TestRemoveMemberAsksFirst(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.press("end", "d") // ops@example.com
	h.wantScreen("Remove ops@example.com?")
	h.press("enter") // the focus starts on Cancel
	if len(mustMembers(t, s)) != 3 {
		t.Fatal("enter on Cancel removed the member")
	}
	h.press("d", "y")
	h.wantScreen("removed ops@example.com")
	for _, m := range mustMembers(t, s) {
		if m.Email == "ops@example.com" {
			t.Fatal("still a member")
		}
	}
	h.waitFor("the list without ops", func() bool { return !strings.Contains(h.screen(), "ops@example.com  ") })
}

func TestLastAdminRemovalWarns(t *testing.T) {
	s, clk := openStore(t)
	if _, err := s.AddMember("x", "solo@example.com", model.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.press("d")
	h.wantScreen("The last admin")
}

func TestAddSSHKeyToSelectedMember(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.press("j", "k") // j moves down; k is "add SSH key" here, not up
	h.wantScreen("Add an SSH key to fin@example.com")
	key := sshKeyForTest(t, 4, "fin@desk")
	h.paste(key)
	h.press("enter")
	h.wantScreen("added an SSH key to fin@example.com: SHA256:")
	if !strings.HasSuffix(h.m.status.text, model.Fingerprint(key)) {
		t.Fatalf("status %q", h.m.status.text)
	}
	for _, m := range mustMembers(t, s) {
		if m.Email == "fin@example.com" && (len(m.SSHKeys) != 1 || model.Fingerprint(m.SSHKeys[0]) != model.Fingerprint(key)) {
			t.Fatalf("fin has %v", m.SSHKeys)
		}
	}
}

func TestChangeARoleFromTheMembersView(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.press("j", "r") // fin@example.com, a finance member
	h.wantScreen("Role of fin@example.com")
	h.wantScreen("> finance") // the picker starts on the role they have
	h.press("home", "enter")
	h.wantScreen("fin@example.com is now admin")
	for _, m := range mustMembers(t, s) {
		if m.Email == "fin@example.com" && m.Role != model.RoleAdmin {
			t.Fatalf("fin is %s", m.Role)
		}
	}
	h.wantScreen("3 admins get mail")
}

func TestRemoveOneSSHKeyPicksThenAsks(t *testing.T) {
	s, clk, _ := seedMailStore(t)
	keep, drop := sshKeyForTest(t, 7, "laptop"), sshKeyForTest(t, 8, "old-desk")
	for _, k := range []string{keep, drop} {
		if _, err := s.AddMemberSSHKey("x", "fin@example.com", k); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, s, clk, 80, 24)
	h.pressLoaded("m")
	h.press("j", "x")
	h.wantScreen("Remove an SSH key of fin@example.com")
	h.press("down", "enter")
	h.wantScreen("Fingerprint: " + model.Fingerprint(drop))
	h.press("n") // back to the picker, nothing removed
	h.wantScreen("Remove an SSH key of fin@example.com")
	h.press("enter", "y")
	h.wantScreen("removed SSH key " + model.Fingerprint(drop))
	for _, m := range mustMembers(t, s) {
		if m.Email == "fin@example.com" && (len(m.SSHKeys) != 1 || model.Fingerprint(m.SSHKeys[0]) != model.Fingerprint(keep)) {
			t.Fatalf("fin has %v", m.Fingerprints())
		}
	}
}
