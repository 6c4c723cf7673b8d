package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

// usageWindow is how far back the usage view reads, as keys usage does by
// default.
const usageWindow = 7 * model.Day

// usageView (u) shows what /auth saw of one key: totals, the requests per
// resource and mode, and the hours with traffic, newest first. It reads
// again after every commit (serve's flushes among them).
type usageView struct {
	env   *env
	key   model.Key
	usage model.Usage
	loadState
	pager pager
	width int
	now   time.Time
}

type usageViewMsg struct {
	usage model.Usage
	err   error
}

func newUsageView(e *env, k model.Key, now time.Time) *usageView {
	return &usageView{env: e, key: k, pager: newPager(e.bindings), now: now}
}

func (v *usageView) subject() model.Key { return v.key }

func (v *usageView) load() tea.Cmd {
	id, since := v.key.ID, v.now.Add(-usageWindow)
	return func() tea.Msg {
		_, u, err := v.env.store.Usage(id, since)
		return usageViewMsg{u, err}
	}
}

func (v *usageView) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		v.now = msg.at
	case tea.WindowSizeMsg:
		v.width = msg.Width
		v.pager.resize(msg.Width, msg.Height-1)
		v.render()
		return v, v.opening(v.load)
	case changedMsg:
		return v, v.load()
	case usageViewMsg:
		v.finished(msg.err)
		if msg.err == nil {
			v.usage = msg.usage
		}
		v.render()
	case tea.KeyMsg:
		if key.Matches(msg, v.env.bindings.Back, v.env.bindings.Usage, v.env.bindings.Quit) {
			return nil, nil
		}
		v.pager.keypress(v.env.bindings, msg)
	}
	return v, nil
}

func (v *usageView) view(width, height int, _ time.Time) string {
	st := v.env.st
	title := st.title.Render("Usage of " + v.key.DisplayName())
	right := st.dim.Render(v.pager.footer())
	if withID := title + st.dim.Render(" ("+model.Printable(v.key.ID)+")"); ansi.StringWidth(withID+right)+2 <= width {
		title = withID // the id, where it fits, tells apart keys of one name
	}
	return spread(title, right, width) + "\n" + v.pager.view()
}

func (v *usageView) help() []key.Binding {
	k := v.env.bindings
	return []key.Binding{withHelp(k.Back, "esc", "back"), k.Up, k.Down, k.PageUp, k.PageDown}
}

// section names the view in the header.
func (v *usageView) section() string { return "Usage" }
