package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// roles are the choices of the role picker, admin first: the role that
// receives mail is the reason most members are added.
var roles = []model.Role{model.RoleAdmin, model.RoleManager, model.RoleFinance}

// rolePicker chooses a role: the second step of adding a member, or a
// change of an existing member's role.
type rolePicker struct {
	env    *env
	title  string
	action string // what enter does, for the help bar
	choice int
	take   func(model.Role) (pane, tea.Cmd)
}

// newRoleChange changes m's role, starting on the role m has.
func newRoleChange(e *env, m model.Member) *rolePicker {
	email := model.Printable(m.Email)
	return &rolePicker{env: e, title: "Role of " + email, action: "change role", choice: max(0, slices.Index(roles, m.Role)),
		take: func(role model.Role) (pane, tea.Cmd) {
			if role == m.Role {
				return nil, nil
			}
			return nil, e.act(fmt.Sprintf("%s is now %s", email, role), func() error {
				_, err := e.store.SetMemberRole(e.actor, m.Email, role)
				return err
			})
		}}
}

func (r *rolePicker) update(msg tea.Msg) (pane, tea.Cmd) {
	switch r.env.bindings.pick(msg, &r.choice, len(roles)) {
	case pickCancel:
		return nil, nil
	case pickTake:
		return r.take(roles[r.choice])
	}
	return r, nil
}

func (r *rolePicker) view(width, height int, _ time.Time) string {
	st := r.env.st
	text := []string{st.boxTitle.Render(r.title), ""}
	for i, role := range roles {
		text = append(text, pickerRow(st, i == r.choice, string(role), 8, roleNote(role)))
	}
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (r *rolePicker) help() []key.Binding {
	return r.env.bindings.pickerHelp(r.action)
}
