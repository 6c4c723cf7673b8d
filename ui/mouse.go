package ui

import tea "github.com/charmbracelet/bubbletea"

// mouse selects the clicked row, shows the details of the hovered one and
// scrolls with the wheel. Dialogs are keyboard-only.
func (m *Model) mouse(msg tea.MouseMsg) {
	if m.pane != nil || m.filtering != nil {
		return
	}
	rows := m.visibleRows()
	row := -1
	if y := msg.Y - tableTop; y >= 0 && y < rows && m.table.offset+y < len(m.table.rows) {
		row = m.table.offset + y
	}
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		m.table.moveTo(m.table.cursor-3, rows)
	case msg.Button == tea.MouseButtonWheelDown:
		m.table.moveTo(m.table.cursor+3, rows)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && row >= 0:
		m.table.moveTo(row, rows)
		m.table.hover = -1
	case msg.Action == tea.MouseActionMotion:
		m.table.hover = row
	}
}
