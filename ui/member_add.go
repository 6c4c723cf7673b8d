package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// maxSSHKeyLen bounds a pasted public key: a 16384-bit RSA key in
// authorized_keys form is under 3,000 characters.
const maxSSHKeyLen = 8192

// The add-member dialogs: email, then role, then an optional SSH key, and
// one storage call at the end, so that a cancelled dialog changes nothing.
// Each step checks its value at once with the rules storage applies.

// newEmailPrompt starts the dialog; chosen hears the email of a member
// about to be added, so that the list can select them once they are there.
func newEmailPrompt(e *env, chosen func(email string)) *promptPane {
	return &promptPane{env: e, title: "Add a member", field: newTextField(e.st, "› ", "", 254, printableOnly),
		hint: "Email address of the new member:", submitAction: "next: role",
		validate: model.ParseEmail,
		submit: func(email string) (pane, tea.Cmd) {
			return &rolePicker{env: e, title: "Role of " + model.Printable(email), action: "next: SSH key",
				take: func(role model.Role) (pane, tea.Cmd) { return newSSHKeyStep(e, email, role, chosen), nil }}, nil
		}}
}

// newSSHKeyStep asks for the new member's optional SSH key, then adds them.
func newSSHKeyStep(e *env, email string, role model.Role, chosen func(string)) *promptPane {
	return &promptPane{env: e, title: fmt.Sprintf("Add %s as %s", email, role), field: newTextField(e.st, "› ", "", maxSSHKeyLen, printableOnly),
		hint:         "SSH public key, optional (enter skips). Paste one line:\nssh-ed25519 AAAA… you@host",
		submitAction: "add member", validate: optionalSSHKey,
		submit: func(sshKey string) (pane, tea.Cmd) {
			var sshKeys []string
			if sshKey != "" {
				sshKeys = []string{sshKey}
			}
			chosen(email)
			return nil, e.addMember(email, role, sshKeys)
		}}
}

// newSSHKeyPrompt adds an SSH key to an existing member.
func newSSHKeyPrompt(e *env, m model.Member) *promptPane {
	email := model.Printable(m.Email)
	return &promptPane{env: e, title: "Add an SSH key to " + email, field: newTextField(e.st, "› ", "", maxSSHKeyLen, printableOnly),
		hint:         "SSH public key. Paste one line:\nssh-ed25519 AAAA… you@host",
		submitAction: "add key", validate: requiredSSHKey,
		submit: func(sshKey string) (pane, tea.Cmd) { return nil, e.addSSHKey(m.Email, sshKey) }}
}

// printableOnly refuses control characters and escape sequences in an
// email or a pasted SSH key; the line break that ends a pasted line is
// not part of the text.
func printableOnly(s string) error {
	s = strings.TrimRight(s, "\r\n")
	if model.Printable(s) != s {
		return errors.New("control characters and escape sequences are not allowed")
	}
	return nil
}

func optionalSSHKey(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return requiredSSHKey(s)
}

func requiredSSHKey(s string) (string, error) {
	if _, _, err := model.ParseSSHKey(s); err != nil {
		return "", err
	}
	return strings.TrimSpace(s), nil
}

func newRemoveMemberConfirm(e *env, m model.Member, admins int) *confirmPane {
	email := model.Printable(m.Email)
	body := []string{
		fmt.Sprintf("Role: %s · SSH keys: %d", model.Printable(string(m.Role)), len(m.SSHKeys)),
		"Their SSH keys stop working at once. Mail already in the outbox still reaches them.",
	}
	if m.Role == model.RoleAdmin && admins <= 1 {
		body = append(body, "", e.st.warn.Render("⚠ The last admin: nobody will be emailed about key changes."))
	}
	return &confirmPane{env: e, title: "Remove " + email + "?", body: body, action: "Remove", onYes: e.removeMember(m.Email)}
}

func (e *env) addMember(email string, role model.Role, sshKeys []string) tea.Cmd {
	return e.act(fmt.Sprintf("added %s as %s", model.Printable(email), role), func() error {
		_, err := e.store.AddMember(e.actor, email, role, sshKeys)
		return err
	})
}

func (e *env) addSSHKey(email, sshKey string) tea.Cmd {
	return func() tea.Msg {
		_, err := e.store.AddMemberSSHKey(e.actor, email, sshKey)
		text := ""
		if err == nil {
			text = fmt.Sprintf("added an SSH key to %s: %s", model.Printable(email), model.Fingerprint(sshKey))
		}
		return actionMsg{text: text, at: e.clock.Now(), err: err}
	}
}

func (e *env) removeMember(email string) tea.Cmd {
	return e.act("removed "+model.Printable(email), func() error { return e.store.RemoveMember(e.actor, email) })
}
