package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// membersView lists the organization's members (admins get the mail) and
// adds, removes and gives SSH keys to them through dialogs of its own.
type membersView struct {
	env *env
	loadState[[]model.Member]
	list   cursorList
	dialog subPane
	// selectNext is the member to put the cursor on after the next load:
	// the one just added. Otherwise the cursor stays on the same member.
	selectNext string
}

func newMembersView(e *env) *membersView {
	store := e.store
	read := func() readFunc[[]model.Member] { return store.Members }
	return &membersView{env: e, loadState: loadState[[]model.Member]{reader: read}}
}

// selected is the member under the cursor.
func (v *membersView) selected() (model.Member, bool) {
	if v.list.cursor < 0 || v.list.cursor >= len(v.data) {
		return model.Member{}, false
	}
	return v.data[v.list.cursor], true
}

func (v *membersView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.list.resize(memberLayout(msg.Height).rows)
		return v, tea.Batch(v.dialog.update(msg), v.opening())
	case changedMsg:
		return v, v.load()
	case loadedMsg[[]model.Member]:
		if cur, _ := v.selected(); v.keep(msg) {
			v.follow(cur)
		}
		return v, nil
	}
	return v.dialog.route(v, msg, v.keypress)
}

// key handles a keypress on the list. k adds an SSH key here, so it is
// matched before the movement keys (where k is up).
func (v *membersView) keypress(msg tea.KeyMsg) (pane, tea.Cmd) {
	k := v.env.bindings
	switch {
	case key.Matches(msg, k.Back, k.Members, k.Quit):
		return nil, nil
	case key.Matches(msg, k.Outbox):
		return newOutboxView(v.env), nil
	case key.Matches(msg, k.AddMember):
		return v, v.dialog.set(newEmailPrompt(v.env, func(email string) { v.selectNext = email }))
	case key.Matches(msg, k.AddSSHKey, k.RemoveSSHKey, k.ChangeRole, k.RemoveMember):
		m, ok := v.selected()
		if !ok {
			return v, failCmd(fmt.Errorf("no member selected: a adds one"))
		}
		switch {
		case key.Matches(msg, k.AddSSHKey):
			return v, v.dialog.set(newSSHKeyPrompt(v.env, m))
		case key.Matches(msg, k.ChangeRole):
			return v, v.dialog.set(newRoleChange(v.env, m))
		case key.Matches(msg, k.RemoveSSHKey):
			p, err := newRemoveSSHKey(v.env, m)
			if err != nil {
				return v, failCmd(err)
			}
			return v, v.dialog.set(p)
		}
		return v, v.dialog.set(newRemoveMemberConfirm(v.env, m, v.admins()))
	default:
		v.list.keypress(k, msg)
	}
	return v, nil
}

// follow keeps the cursor on member cur after a read (or moves it to the
// one just added), although the list is ordered by email.
func (v *membersView) follow(cur model.Member) {
	ms := v.data
	v.list.setTotal(len(ms))
	at := func(email string) int {
		for i, m := range ms {
			if m.Email == email {
				return i
			}
		}
		return -1
	}
	if i := at(v.selectNext); i >= 0 {
		v.list.moveTo(i)
		v.selectNext = ""
	} else if i := at(cur.Email); i >= 0 {
		v.list.moveTo(i)
	}
}

// admins counts the members who receive the mail.
func (v *membersView) admins() int {
	n := 0
	for _, m := range v.data {
		if m.Role == model.RoleAdmin {
			n++
		}
	}
	return n
}

// typing reports whether a prompt of the view is open.
func (v *membersView) typing() bool { return v.dialog.typing() }

func (v *membersView) view(width, height int, now time.Time) string {
	if v.dialog.open != nil {
		return v.dialog.open.view(width, height, now)
	}
	return v.render(width, height, now)
}

func (v *membersView) help() []key.Binding {
	if v.dialog.open != nil {
		return v.dialog.open.help()
	}
	k := v.env.bindings
	m, ok := v.selected()
	return []key.Binding{k.AddMember, enabled(k.ChangeRole, ok), enabled(k.AddSSHKey, ok),
		enabled(k.RemoveSSHKey, ok && len(m.SSHKeys) > 0), enabled(k.RemoveMember, ok),
		withHelp(k.Back, "esc", "back"), k.Outbox, withHelp(k.Up, "↑", "up"), k.Down} // k adds an SSH key here
}

// section names the view in the header.
func (v *membersView) section() string { return "Members" }
