package ui

import tea "github.com/charmbracelet/bubbletea"

// mouse selects the clicked row, lightly highlights the hovered one and
// scrolls with the wheel; the details panel and the keys stay with the
// cursor. Dialogs are keyboard-only.
func (m *Model) mouse(msg tea.MouseMsg) {
	if m.pane != nil || m.filtering != nil {
		return
	}
	t := &m.table
	row := -1
	if y := msg.Y - tableTop; y >= 0 && y < t.height && t.offset+y < t.len() {
		row = t.offset + y
	}
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		t.moveTo(t.cursor - 3)
	case msg.Button == tea.MouseButtonWheelDown:
		t.moveTo(t.cursor + 3)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && row >= 0:
		t.moveTo(row)
		t.hover = -1
	case msg.Action == tea.MouseActionMotion:
		m.table.hover = row
	}
}
