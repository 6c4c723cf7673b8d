package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// cursorList is the cursor and scroll position of a list whose items take
// per lines each (members, mail). It knows positions only: the views
// render the items in window() and nothing else.
type cursorList struct {
	cursor, offset, total int
	height                int // lines for items
	per                   int // lines per item; 0 means 1
}

// shown is how many items fit in height.
func (l *cursorList) shown() int { return max(1, l.height/max(1, l.per)) }

// resize sets the lines available and keeps the cursor on screen.
func (l *cursorList) resize(height int) {
	l.height = height
	l.moveTo(l.cursor)
}

// setTotal sets the number of items, keeping the cursor where it was or on
// the last item if it was beyond.
func (l *cursorList) setTotal(n int) {
	l.total = n
	l.moveTo(l.cursor)
}

// moveTo puts the cursor on item i and scrolls as little as possible.
func (l *cursorList) moveTo(i int) {
	l.cursor = max(0, min(i, l.total-1))
	l.offset = keepVisible(l.cursor, l.offset, l.shown(), l.total)
}

// keepVisible returns the first item to show so that cursor is among the
// shown items on screen, moving offset as little as possible and leaving
// no empty lines below the last of total items.
func keepVisible(cursor, offset, shown, total int) int {
	shown = max(shown, 1)
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+shown {
		offset = cursor - shown + 1
	}
	return max(0, min(offset, total-shown))
}

// key moves on the movement keys and reports whether it used the key.
func (l *cursorList) keypress(k keyBindings, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.moveTo(l.cursor - 1)
	case key.Matches(msg, k.Down):
		l.moveTo(l.cursor + 1)
	case key.Matches(msg, k.PageUp):
		l.moveTo(l.cursor - l.shown())
	case key.Matches(msg, k.PageDown):
		l.moveTo(l.cursor + l.shown())
	case key.Matches(msg, k.Home):
		l.moveTo(0)
	case key.Matches(msg, k.End):
		l.moveTo(l.total - 1)
	default:
		return false
	}
	return true
}

// window returns the items on screen.
func (l *cursorList) window() (from, to int) {
	return l.offset, min(l.offset+l.shown(), l.total)
}

// position is the rule's " 1–4 of 9 ", empty for an empty list.
func (l *cursorList) position() string {
	if l.total == 0 {
		return ""
	}
	from, to := l.window()
	return position(from, to, l.total)
}

// position says which items of total are on screen: " 1–4 of 9 ".
func position(from, to, total int) string {
	return fmt.Sprintf(" %s–%s of %s ", model.Thousands(from+1), model.Thousands(to), model.Thousands(total))
}
