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
	pagerPane[model.Usage]
	key model.Key
	now time.Time
}

func newUsageView(e *env, k model.Key, now time.Time) *usageView {
	v := &usageView{key: k, now: now}
	v.pagerPane = newPagerPane(e, e.bindings.Usage, v)
	return v
}

func (v *usageView) subject() model.Key { return v.key }

func (v *usageView) reader() readFunc[model.Usage] {
	store, id, since := v.env.store, v.key.ID, v.now.Add(-usageWindow)
	return func() (model.Usage, error) {
		_, u, err := store.Usage(id, since)
		return u, err
	}
}

func (v *usageView) update(msg tea.Msg) (pane, tea.Cmd) {
	if tick, ok := msg.(tickMsg); ok {
		v.now = tick.at
	}
	return v.pagerPane.update(msg)
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

func (v *usageView) help() []key.Binding { return v.env.bindings.pagerHelp() }

// section names the view in the header.
func (v *usageView) section() string { return "Usage" }
