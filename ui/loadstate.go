package ui

import tea "github.com/charmbracelet/bubbletea"

// loadState is the loading life that the audit, members and outbox views
// share: each loads when it first gets its size (that is, when it opens)
// and again after every change in storage.
type loadState struct {
	opened bool // the first size arrived and the first load started
	loaded bool
	err    error
}

// opening returns load's command the first time the view is sized.
func (l *loadState) opening(load func() tea.Cmd) tea.Cmd {
	if l.opened {
		return nil
	}
	l.opened = true
	return load()
}

// finished records the end of a load.
func (l *loadState) finished(err error) { l.loaded, l.err = true, err }
