package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// roles are the choices of the role picker, admin first: the role that
// receives mail is the reason most members are added.
var roles = []model.Role{model.RoleAdmin, model.RoleManager, model.RoleFinance}

// rolePicker is the second step of adding a member.
type rolePicker struct {
	env    *env
	email  string
	choice int
	chosen func(email string)
}

func (r *rolePicker) update(msg tea.Msg) (pane, tea.Cmd) {
	switch r.env.keys.pick(msg, &r.choice, len(roles)) {
	case pickCancel:
		return nil, nil
	case pickTake:
		return newSSHKeyStep(r.env, r.email, roles[r.choice], r.chosen), nil
	}
	return r, nil
}

func (r *rolePicker) view(width, height int, _ time.Time) string {
	st := r.env.st
	text := []string{st.boxTitle.Render("Role of " + model.Printable(r.email)), ""}
	for i, role := range roles {
		text = append(text, pickerRow(st, i == r.choice, string(role), 8, roleNote(role)))
	}
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (r *rolePicker) help() []key.Binding {
	return r.env.keys.pickerHelp("next: SSH key")
}
