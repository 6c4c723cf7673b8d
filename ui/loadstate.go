package ui

import tea "github.com/charmbracelet/bubbletea"

// loadState is the loading life that the views of stored data (audit
// log, usage, members, outbox) share: each reads when it first gets its
// size (that is, when it opens) and again after every change in storage,
// and keeps the last answer that did not fail.
type loadState[T any] struct {
	opened bool // the first size arrived and the first read started
	loaded bool
	err    error
	data   T
	// read returns what a tea.Cmd runs to read; what it needs from the
	// view is taken when read is called, in Update.
	read func() func() (T, error)
}

// loadedMsg carries what a read returned.
type loadedMsg[T any] struct {
	data T
	err  error
}

// opening returns the first read's command the first time the view is
// sized.
func (l *loadState[T]) opening() tea.Cmd {
	if l.opened {
		return nil
	}
	l.opened = true
	return l.load()
}

// load reads the data again.
func (l *loadState[T]) load() tea.Cmd {
	read := l.read()
	return func() tea.Msg {
		data, err := read()
		return loadedMsg[T]{data, err}
	}
}

// keep records the end of a read: its data, unless it failed.
func (l *loadState[T]) keep(msg loadedMsg[T]) {
	l.loaded, l.err = true, msg.err
	if msg.err == nil {
		l.data = msg.data
	}
}
