package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// sectioned is a pane that names itself in the header ("Developers ›
// Members"); the others are dialogs over the key table.
type sectioned interface{ section() string }

// pane is a view or dialog that replaces the key table while it is open:
// the rotate picker, the permission matrix, a prompt, a confirmation, the
// audit log, help. A new view is one more type with these three methods.
type pane interface {
	// update gets keys and any message the root does not handle itself
	// (sizes come as the body's size). A nil pane closes it.
	update(msg tea.Msg) (pane, tea.Cmd)
	// view renders the body: at most width × height.
	view(width, height int, now time.Time) string
	// help lists the keys for the help bar.
	help() []key.Binding
}

// Screen rows around the body: the header above, status and help below.
const (
	headerLines = 1
	footerLines = 2
	tableTop    = headerLines + 1 // the first key row, below the column header
)

func (m *Model) bodyHeight() int { return max(1, m.height-headerLines-footerLines) }

// tableLayout splits the body between key rows and the details panel.
func (m *Model) tableLayout() (rows, details int) {
	body := m.bodyHeight()
	details = min(detailsHeight, max(1, body-2-3))
	return max(1, body-2-details), details
}

func (m *Model) visibleRows() int {
	rows, _ := m.tableLayout()
	return rows
}

// open shows p and tells it the body's size.
func (m *Model) open(p pane) tea.Cmd {
	m.pane = p
	return m.resizePane()
}

// resizePane tells the open pane the body's size and the time, so that
// it can lay out its content in Update, before it is drawn.
func (m *Model) resizePane() tea.Cmd {
	return tea.Batch(m.toPane(tickMsg{m.tickGen, m.now}), m.toPane(tea.WindowSizeMsg{Width: m.width, Height: m.bodyHeight()}))
}

func (m *Model) toPane(msg tea.Msg) tea.Cmd {
	if m.pane == nil {
		return nil
	}
	var cmd tea.Cmd
	m.pane, cmd = m.pane.update(msg)
	return cmd
}
