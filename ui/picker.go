package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The pieces the rotation picker and the role picker share: keys, rows
// and help.

// pickOutcome is what a key did to a picker.
type pickOutcome int

const (
	pickMoved  pickOutcome = iota // the choice may have moved
	pickCancel                    // esc or q: close the picker
	pickTake                      // enter: act on the choice
)

// pick applies a message to a picker of n choices through choose.
func (k keyBindings) pick(msg tea.Msg, choice *int, n int) pickOutcome {
	km, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
		return pickMoved
	case key.Matches(km, k.Back, k.Quit):
		return pickCancel
	case key.Matches(km, k.Enter):
		return pickTake
	}
	*choice = k.choose(km, *choice, n)
	return pickMoved
}

// pickerRow renders one choice: the label padded to width, then a note,
// highlighted when selected.
func pickerRow(st styles, selected bool, label string, width int, note string) string {
	label = fmt.Sprintf("%-*s", width, label)
	if selected {
		return st.key.Render("> ") + st.selected.Render(label) + " " + note
	}
	return "  " + label + " " + st.dim.Render(note)
}

// pickerHelp is a picker's help bar; action says what enter does.
func (k keyBindings) pickerHelp(action string) []key.Binding {
	return []key.Binding{withHelp(k.Enter, "enter", action), withHelp(k.Back, "esc", "cancel"), k.Up, k.Down}
}
