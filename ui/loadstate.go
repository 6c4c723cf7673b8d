package ui

import tea "github.com/charmbracelet/bubbletea"

// loadState is the loading life that the views of stored data (audit
// log, usage, members, outbox) share: each reads when it first gets its
// size (that is, when it opens) and again after every change in storage,
// and keeps the newest answer that did not fail.
//
// Bubble Tea runs commands concurrently, so answers may come back out of
// order, and a closed view's read may come back to the view that replaced
// it (the usage of key A to the usage view of key B). Each answer says
// which loadState asked and which of its reads it answers; keep drops the
// others.
type loadState[T any] struct {
	opened bool // the first size arrived and the first read started
	err    error
	data   T
	// reader takes from the view, in Update, what a read needs, and
	// returns the read, which a tea.Cmd runs.
	reader func() readFunc[T]
	asked  int // the number of the latest read started
	kept   int // the number of the read whose answer is shown
}

// readFunc reads a view's data from storage, outside Update.
type readFunc[T any] func() (T, error)

// loadedMsg carries what a read returned.
type loadedMsg[T any] struct {
	from *loadState[T] // the view's state that asked
	read int           // which of its reads this answers
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

// loaded reports whether a read has answered (with data or an error).
func (l *loadState[T]) loaded() bool { return l.kept > 0 }

// load reads the data again.
func (l *loadState[T]) load() tea.Cmd {
	l.asked++
	read, n := l.reader(), l.asked
	return func() tea.Msg {
		data, err := read()
		return loadedMsg[T]{from: l, read: n, data: data, err: err}
	}
}

// keep records the answer to a read, its data unless it failed, and
// reports whether it did. It drops an answer to another loadState, and
// one to a read older than the answer already kept; it keeps an answer
// that a newer read has yet to supersede, so that a view under frequent
// commits still shows the change.
func (l *loadState[T]) keep(msg loadedMsg[T]) bool {
	if msg.from != l || msg.read <= l.kept {
		return false
	}
	l.kept, l.err = msg.read, msg.err
	if msg.err == nil {
		l.data = msg.data
	}
	return true
}
