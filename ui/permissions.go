package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// matrixPane edits permissions: one row per resource, Read and Write
// columns, no Write cell for read-only resources. It scrolls, and asks
// before throwing away unsaved changes.
type matrixPane struct {
	env         *env
	title       string
	action      string // "save" or "create"
	orig, perms model.Permissions
	row, col    int // col 0 is Read, 1 is Write
	pager       pager
	asking      bool // "discard unsaved changes?"
	save        func(model.Permissions) tea.Cmd
	key         model.Key   // the API key edited; zero for a new one
	used        *usedLately // what the key used in the last 30 days; nil until read
	usedSince   time.Time   // the start of those 30 days; zero for a new key
}

func (p *matrixPane) subject() model.Key { return p.key }

func newMatrix(e *env, title string, p model.Permissions, action string, save func(model.Permissions) tea.Cmd) *matrixPane {
	m := &matrixPane{env: e, title: title, action: action, orig: p, perms: p, save: save, pager: newPager(e.bindings)}
	m.render()
	return m
}

func (p *matrixPane) dirty() bool { return p.perms != p.orig }

// rowsShown leaves room for the title, the column header and the footer.
func (p *matrixPane) rowsShown() int { return p.pager.vp.Height }

func (p *matrixPane) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.pager.resize(msg.Width, msg.Height-3) // title and column header above, footer below
		p.render()
	case usedLately:
		p.used = &msg
		p.render()
	case changedMsg:
		if !p.usedSince.IsZero() {
			return p, p.reloadUsed()
		}
	case tea.KeyMsg:
		if p.asking {
			return p.answer(msg)
		}
		return p.edit(msg)
	}
	return p, nil
}

func (p *matrixPane) answer(msg tea.KeyMsg) (pane, tea.Cmd) {
	keys := p.env.bindings
	switch {
	case key.Matches(msg, keys.Yes), msg.String() == "d":
		return nil, nil
	case key.Matches(msg, keys.No, keys.Back, keys.Quit):
		p.asking = false
	}
	return p, nil
}

func (p *matrixPane) edit(msg tea.KeyMsg) (pane, tea.Cmd) {
	keys := p.env.bindings
	res := model.Resource(p.row)
	switch {
	case key.Matches(msg, keys.Back, keys.Quit):
		if p.dirty() {
			p.asking = true
			return p, nil
		}
		return nil, nil
	case key.Matches(msg, keys.Enter):
		if !p.dirty() && p.action == "save" {
			return nil, nil
		}
		return nil, p.save(p.perms)
	case key.Matches(msg, keys.Up):
		p.row--
	case key.Matches(msg, keys.Down):
		p.row++
	case key.Matches(msg, keys.PageUp):
		p.row -= p.rowsShown()
	case key.Matches(msg, keys.PageDown):
		p.row += p.rowsShown()
	case key.Matches(msg, keys.Home):
		p.row = 0
	case key.Matches(msg, keys.End):
		p.row = model.ResourceCount - 1
	case key.Matches(msg, keys.Switch):
		p.col = 1 - p.col
	case key.Matches(msg, keys.Toggle):
		p.perms.Toggle(res, p.mode())
	case key.Matches(msg, keys.ToggleRead):
		p.toggleColumn(model.Read)
	case key.Matches(msg, keys.ToggleWrite):
		p.toggleColumn(model.Write)
	case key.Matches(msg, keys.All):
		p.perms = model.AllPermissions()
	case key.Matches(msg, keys.None):
		p.perms = model.Permissions{}
	case key.Matches(msg, keys.KeepUsed) && p.key.ID != "":
		return p.keepUsed()
	}
	p.row = max(0, min(p.row, model.ResourceCount-1))
	p.render()
	return p, nil
}

// mode is the focused column; a read-only row has only Read.
func (p *matrixPane) mode() model.Access {
	if p.col == 1 && !model.Resource(p.row).ReadOnly() {
		return model.Write
	}
	return model.Read
}

// toggleColumn grants mode everywhere it is offered, or, if it already is
// granted everywhere, takes it away everywhere.
func (p *matrixPane) toggleColumn(mode model.Access) {
	all := true
	for _, r := range model.Resources() {
		if !(mode == model.Write && r.ReadOnly()) && !p.perms.Allows(r, mode) {
			all = false
		}
	}
	for _, r := range model.Resources() {
		if all {
			p.perms[r] &^= mode
		} else if !(mode == model.Write && r.ReadOnly()) {
			p.perms[r] |= mode
		}
	}
}
