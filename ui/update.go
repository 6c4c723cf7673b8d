package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// Update routes a message: results and timers are the root's, keys go to
// the open dialog (or the key table), and anything else to the open view.
// Then the selected key's usage follows the selection.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.route(msg)
	return m, tea.Batch(cmd, m.syncUsage())
}

func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.table.resize(m.visibleRows())
		return m, m.resizePane()
	case tickMsg:
		if msg.gen != m.tickGen {
			return m, nil // a stale clock chain
		}
		m.observe(msg.at)
		return m, tea.Batch(m.env.tickAt(msg.at.Truncate(time.Second).Add(time.Second), m.tickGen), m.toPane(msg), m.refreshSeen())
	case changedMsg:
		m.report(msg.events)
		return m, tea.Batch(m.reload(), m.toPane(msg))
	case usageLoadedMsg:
		m.usageLoaded(msg)
		return m, nil
	case seenMsg:
		m.seenLoaded(msg)
		return m, nil
	case keysLoadedMsg:
		return m, m.loaded(msg)
	case rowsMsg:
		return m, m.table.rowsReady(msg)
	case revealedMsg:
		m.observe(msg.at)
		if msg.err != nil {
			m.fail(msg.err)
			return m, nil
		}
		m.setStatus("revealed " + msg.name + "; it hides again in 30 s (v hides now)")
		return m, m.show(msg.id, msg.token, msg.at)
	case hideMsg:
		if msg.gen == m.reveal.gen && m.reveal.id != "" {
			m.observe(msg.at)
			m.reveal = revealState{gen: m.reveal.gen}
		}
		return m, nil
	case copiedMsg:
		return m, m.copied(msg)
	case clipExpiredMsg:
		if msg.gen != m.clip.gen || !m.clip.armed() {
			return m, nil // something newer was copied since
		}
		text := m.clip.text
		m.clip.text = ""
		return m, m.env.clearClipboard(text)
	case clipClearedMsg:
		if msg.err != nil {
			m.fail(msg.err)
		} else if m.status.copy {
			m.setStatus(msg.said)
		}
		return m, nil
	case actionMsg:
		return m, m.acted(msg)
	case foundTokenMsg:
		return m, m.foundToken(msg)
	case failedMsg:
		m.fail(msg.err)
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.typing() {
			// Keys typed quickly (or over a slow link) arrive together.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.keypress(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return m, tea.Batch(cmds...)
		}
		return m, m.keypress(msg)
	case tea.MouseMsg:
		m.mouse(msg)
		return m, nil
	}
	return m, m.toPane(msg)
}

// typist is a pane that may be taking text (a prompt, or a view with a
// prompt open): keys that arrive together then stay together.
type typist interface{ typing() bool }

// typing reports whether keys go to a text field rather than commands.
func (m *Model) typing() bool {
	t, ok := m.pane.(typist)
	return m.filtering != nil || ok && t.typing()
}

// reload lists the keys again, unless a load is running: then once more
// when it ends, so that a burst of changes costs two loads, not one each.
func (m *Model) reload() tea.Cmd {
	if m.loading {
		m.reloadAg = true
		return nil
	}
	m.loading = true
	return m.env.loadKeys()
}

func (m *Model) loaded(msg keysLoadedMsg) tea.Cmd {
	m.loading = false
	m.observe(msg.at)
	m.waiting = msg.waiting
	if msg.err != nil {
		m.fail(msg.err)
	}
	var rows tea.Cmd
	if msg.keys != nil {
		rows = m.table.setKeys(msg.keys)
		m.usage.stale = true // read against the key as now listed
		if _, ok := msg.keys.Find(m.reveal.id); m.reveal.id != "" && !ok {
			m.reveal = revealState{gen: m.reveal.gen + 1} // its key is gone
		}
		m.closeIfGone(msg.keys)
	}
	if m.reloadAg {
		m.reloadAg = false
		return tea.Batch(rows, m.reload())
	}
	return rows
}

// show reveals a token and arms the timer that hides it again.
func (m *Model) show(id string, tok model.Token, at time.Time) tea.Cmd {
	gen := m.reveal.gen + 1
	m.reveal = revealState{gen: gen, id: id, token: tok, until: at.Add(revealAfter)}
	return m.env.at(m.reveal.until, func(t time.Time) tea.Msg { return hideMsg{gen, t} })
}

func (m *Model) copied(msg copiedMsg) tea.Cmd {
	m.observe(msg.at)
	if msg.err != nil {
		m.fail(msg.err)
		return nil
	}
	m.clip.gen++
	gen := m.clip.gen
	m.clip.text, m.clip.until = msg.text, msg.at.Add(clipboardClearAfter)
	m.status = status{text: "copied " + msg.name + "'s token " + msg.how, copy: true}
	return m.env.at(m.clip.until, func(time.Time) tea.Msg { return clipExpiredMsg{gen} })
}

// acted reports an action. It does not reload: the change it made comes
// back through the subscription like any other, once.
func (m *Model) acted(msg actionMsg) tea.Cmd {
	m.observe(msg.at)
	if msg.err != nil {
		m.fail(msg.err)
		return nil
	}
	m.setStatus(msg.text)
	var rows tea.Cmd
	if msg.selectID != "" {
		rows = m.table.selectID(msg.selectID)
	}
	if !msg.token.IsZero() {
		return tea.Batch(rows, m.show(msg.selectID, msg.token, msg.at))
	}
	return rows
}
