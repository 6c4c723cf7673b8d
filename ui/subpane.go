package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// subPane is a dialog opened inside a view (adding a member, reading a
// mail): while it is open it gets the keys and is drawn instead of the
// view; when it closes, the view is back as it was.
type subPane struct {
	open          pane
	width, height int
}

// set opens p (nil closes) and tells it the body's size.
func (s *subPane) set(p pane) tea.Cmd {
	s.open = p
	return s.resize()
}

// update forwards msg; a size is kept for the dialogs that follow. A
// dialog may hand over to the next one (email, then role, then SSH key),
// which gets the size too.
func (s *subPane) update(msg tea.Msg) tea.Cmd {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		s.width, s.height = size.Width, size.Height
	}
	if s.open == nil {
		return nil
	}
	before := s.open
	var cmd tea.Cmd
	s.open, cmd = s.open.update(msg)
	if s.open != nil && s.open != before {
		return tea.Batch(cmd, s.resize())
	}
	return cmd
}

func (s *subPane) resize() tea.Cmd {
	if s.open == nil {
		return nil
	}
	var cmd tea.Cmd
	s.open, cmd = s.open.update(tea.WindowSizeMsg{Width: s.width, Height: s.height})
	return cmd
}

// typing reports whether the open dialog takes text.
func (s *subPane) typing() bool {
	t, ok := s.open.(typist)
	return ok && t.typing()
}

// route hands a message the view did not handle itself to the open
// dialog; a key with no dialog open goes to the view's list (onKey).
func (s *subPane) route(view pane, msg tea.Msg, onKey func(tea.KeyMsg) (pane, tea.Cmd)) (pane, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && s.open == nil {
		return onKey(k)
	}
	return view, s.update(msg)
}
