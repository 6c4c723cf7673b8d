package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// keypress handles a keypress: ctrl+c always quits, then the filter being
// typed, the open dialog or view, and finally the key table get it.
func (m *Model) keypress(msg tea.KeyMsg) tea.Cmd {
	k := m.env.bindings
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	m.table.hover = -1
	if m.status.err {
		m.status = status{} // an error stays until the next key
	}
	if m.filtering != nil {
		return m.filterKey(msg)
	}
	if m.pane != nil {
		var cmd tea.Cmd
		m.pane, cmd = m.pane.update(msg)
		return tea.Batch(cmd, m.resizePane())
	}
	t := &m.table
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Back):
		return t.setFilter("")
	case key.Matches(msg, k.Up):
		t.moveTo(t.cursor - 1)
	case key.Matches(msg, k.Down):
		t.moveTo(t.cursor + 1)
	case key.Matches(msg, k.PageUp):
		t.moveTo(t.cursor - t.height)
	case key.Matches(msg, k.PageDown):
		t.moveTo(t.cursor + t.height)
	case key.Matches(msg, k.Home):
		t.moveTo(0)
	case key.Matches(msg, k.End):
		t.moveTo(t.len() - 1)
	case key.Matches(msg, k.Filter):
		f := newTextField(m.env.st, "/", t.wanted().filter, 0, nil)
		f.setWidth(m.width / 2)
		m.filtering = &f
	case key.Matches(msg, k.Lifecycle):
		return t.cycleLife(m.now)
	case key.Matches(msg, k.Sort):
		return t.cycleOrder()
	case key.Matches(msg, k.New):
		return m.open(newNamePrompt(m.env))
	case key.Matches(msg, k.Help):
		return m.open(newHelpView(m.env))
	case key.Matches(msg, k.Audit):
		return m.open(newAuditView(m.env, m.now))
	case key.Matches(msg, k.Members):
		return m.open(newMembersView(m.env))
	case key.Matches(msg, k.Outbox):
		return m.open(newOutboxView(m.env))
	default:
		return m.actOnSelected(msg)
	}
	return nil
}

// actOnSelected handles the keypresses that act on the selected API key.
func (m *Model) actOnSelected(msg tea.KeyMsg) tea.Cmd {
	k := m.env.bindings
	if !key.Matches(msg, k.Reveal, k.Copy, k.Rotate, k.Expire, k.Permissions, k.Rename, k.Delete, k.Disable, k.Usage) {
		return nil
	}
	sel, ok := m.table.selected()
	if !ok {
		m.fail(fmt.Errorf("no key selected"))
		return nil
	}
	expiring := isExpiring(sel, m.now)
	switch {
	case key.Matches(msg, k.Reveal):
		if m.reveal.shows(sel.ID) {
			m.reveal = revealState{gen: m.reveal.gen + 1}
			m.setStatus("token hidden")
			return nil
		}
		return m.env.reveal(sel)
	case key.Matches(msg, k.Copy):
		return m.env.copyToken(sel)
	case key.Matches(msg, k.Rotate):
		if expiring {
			m.fail(fmt.Errorf("%s is already rotated; it expires at %s. Press x to expire it now", sel.DisplayName(), stamp(sel.ExpiresAt, m.now)))
			return nil
		}
		return m.open(newRotatePicker(m.env, sel, m.now))
	case key.Matches(msg, k.Expire):
		if !expiring {
			m.fail(fmt.Errorf("%s is active, not expiring: rotate it (r) to give it an end", sel.DisplayName()))
			return nil
		}
		return m.open(newExpireConfirm(m.env, sel, m.now))
	case key.Matches(msg, k.Permissions):
		matrix := newMatrix(m.env, "Permissions of "+sel.DisplayName(), sel.Permissions, "save",
			func(p model.Permissions) tea.Cmd { return m.env.setPermissions(sel, p) })
		matrix.key = sel
		return tea.Batch(m.open(matrix), matrix.loadUsed(m.now))
	case key.Matches(msg, k.Rename):
		return m.open(newRenamePrompt(m.env, sel))
	case key.Matches(msg, k.Delete):
		return m.open(newDeleteConfirm(m.env, sel, m.now, m.lastActive(sel)))
	case key.Matches(msg, k.Disable):
		return m.env.toggleDisabled(sel)
	case key.Matches(msg, k.Usage):
		return m.open(newUsageView(m.env, sel, m.now))
	}
	return nil
}

// lastActive reports whether k is the only key without an expiry. It
// stops at the first other active key, which is near the start in any
// ordinary list.
func (m *Model) lastActive(k model.Key) bool {
	if !k.ExpiresAt.IsZero() || m.table.keys == nil {
		return false
	}
	last := true
	m.table.keys.Ascend(0, func(_ int, o model.Key) bool {
		if o.ExpiresAt.IsZero() && o.ID != k.ID {
			last = false
		}
		return last
	})
	return last
}

// filterKey edits the filter live; enter keeps it, esc drops it.
func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.env.bindings.Enter):
		m.filtering = nil
	case key.Matches(msg, m.env.bindings.Back):
		m.filtering = nil
		return m.table.setFilter("")
	default:
		m.filtering.update(msg)
		if tok, ok := pastedToken(m.filtering.Value()); ok {
			m.filtering = nil
			return tea.Batch(m.table.setFilter(""), m.env.findToken(tok))
		}
		return m.table.setFilter(m.filtering.Value())
	}
	return nil
}
