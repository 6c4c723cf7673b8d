package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// newRemoveSSHKey removes one of m's SSH keys: the confirmation at once
// for a single key, else a picker of fingerprints first.
func newRemoveSSHKey(e *env, m model.Member) (pane, error) {
	fps := m.Fingerprints()
	switch len(fps) {
	case 0:
		return nil, fmt.Errorf("%s has no SSH key: k adds one", model.Printable(m.Email))
	case 1:
		return newRemoveSSHKeyConfirm(e, m, fps[0], nil), nil
	}
	return &sshKeyPicker{env: e, member: m, fps: fps}, nil
}

// sshKeyPicker chooses which of a member's SSH keys to remove.
type sshKeyPicker struct {
	env    *env
	member model.Member
	fps    []string
	choice int
}

func (p *sshKeyPicker) update(msg tea.Msg) (pane, tea.Cmd) {
	switch p.env.bindings.pick(msg, &p.choice, len(p.fps)) {
	case pickCancel:
		return nil, nil
	case pickTake:
		return newRemoveSSHKeyConfirm(p.env, p.member, p.fps[p.choice], p), nil
	}
	return p, nil
}

func (p *sshKeyPicker) view(width, height int, _ time.Time) string {
	st := p.env.st
	text := []string{st.boxTitle.Render("Remove an SSH key of " + model.Printable(p.member.Email)), ""}
	for i, fp := range p.fps {
		text = append(text, clip(pickerRow(st, i == p.choice, model.Printable(fp), 0, ""), dialogInner(width)))
	}
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (p *sshKeyPicker) help() []key.Binding { return p.env.bindings.pickerHelp("choose") }

// newRemoveSSHKeyConfirm asks before removing the key fp; back is where no
// returns to (the picker, or the list).
func newRemoveSSHKeyConfirm(e *env, m model.Member, fp string, back pane) *confirmPane {
	email := model.Printable(m.Email)
	body := []string{"Fingerprint: " + model.Printable(fp), "Sessions logged in with it end at once; it can no longer log in."}
	if len(m.SSHKeys) == 1 && m.Role == model.RoleAdmin {
		body = append(body, "", e.st.warn.Render("⚠ Their only SSH key: they will not be able to log in over SSH."))
	}
	return &confirmPane{env: e, title: "Remove this SSH key of " + email + "?", body: body, action: "Remove key", back: back,
		onYes: e.act(fmt.Sprintf("removed SSH key %s from %s", model.Printable(fp), email), func() error {
			_, err := e.store.RemoveMemberSSHKey(e.actor, m.Email, fp)
			return err
		})}
}
