package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// outboxLimit is how many mails the view reads, newest first: storage
// keeps the newest 1,000 sent ones, plus whatever still waits.
const outboxLimit = 2000

// outboxView is the mail outbox: what was sent, what waits and why. Enter
// reads a mail; R asks the worker to retry everything now.
type outboxView struct {
	env *env
	loadState[[]model.Notification]
	unsent int // counted on load, not per frame
	list   cursorList
	dialog subPane
	now    time.Time // from the root's clock ticks, for the mail it opens
}

func newOutboxView(e *env) *outboxView {
	store := e.store
	read := func() readFunc[[]model.Notification] {
		return func() ([]model.Notification, error) { return store.Outbox(outboxLimit) }
	}
	return &outboxView{env: e, loadState: loadState[[]model.Notification]{reader: read}, list: cursorList{per: mailRowLines}}
}

func (v *outboxView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.list.resize(max(1, msg.Height-2)) // a title above, a rule below
		return v, tea.Batch(v.dialog.update(msg), v.opening())
	case changedMsg:
		return v, v.load()
	case tickMsg:
		v.now = msg.at
		return v, v.dialog.update(msg)
	case loadedMsg[[]model.Notification]:
		if !v.keep(msg) {
			return v, nil
		}
		v.unsent = 0
		for _, m := range v.data {
			if m.State != model.MailSent {
				v.unsent++
			}
		}
		v.list.setTotal(len(v.data))
		return v, nil
	}
	return v.dialog.route(v, msg, v.keypress)
}

func (v *outboxView) keypress(msg tea.KeyMsg) (pane, tea.Cmd) {
	k := v.env.bindings
	switch {
	case key.Matches(msg, k.Back, k.Outbox, k.Quit):
		return nil, nil
	case key.Matches(msg, k.Members):
		return newMembersView(v.env), nil
	case key.Matches(msg, k.ReadMail):
		if v.list.cursor < len(v.data) {
			return v, v.dialog.set(newMailBody(v.env, v.data[v.list.cursor], v.now))
		}
	case key.Matches(msg, k.RetryMail):
		return v, v.env.retryMail(v.unsent)
	default:
		v.list.keypress(k, msg)
	}
	return v, nil
}

// retryMail makes every waiting mail due now; the worker hears the change.
func (e *env) retryMail(waiting int) tea.Cmd {
	text := "nothing waits in the outbox"
	if waiting > 0 {
		text = fmt.Sprintf("retrying %s now", model.Count(waiting, "mail", "mails"))
	}
	return e.act(text, e.store.RetryMailNow)
}

func (v *outboxView) view(width, height int, now time.Time) string {
	if v.dialog.open != nil {
		return v.dialog.open.view(width, height, now)
	}
	return v.render(width, height, now)
}

func (v *outboxView) help() []key.Binding {
	if v.dialog.open != nil {
		return v.dialog.open.help()
	}
	k := v.env.bindings
	return []key.Binding{enabled(k.ReadMail, len(v.data) > 0), enabled(k.RetryMail, v.unsent > 0),
		withHelp(k.Back, "esc", "back"), k.Members, k.Up, k.Down}
}

// section names the view in the header.
func (v *outboxView) section() string { return "Mail outbox" }
