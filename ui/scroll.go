package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// scroller is the scroll position of a read-only list (audit log, help).
type scroller struct {
	offset, height, total int
	per                   int // lines per item; 0 means 1
}

// shown is how many items fit below a title and above a footer.
func (s *scroller) shown() int { return max(1, (s.height-2)/max(1, s.per)) }

// key scrolls on the movement keys and reports whether it used the key.
func (s *scroller) key(k keyMap, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		s.offset--
	case key.Matches(msg, k.Down):
		s.offset++
	case key.Matches(msg, k.PageUp):
		s.offset -= s.shown()
	case key.Matches(msg, k.PageDown), msg.String() == " ":
		s.offset += s.shown()
	case key.Matches(msg, k.Home):
		s.offset = 0
	case key.Matches(msg, k.End):
		s.offset = s.total
	default:
		return false
	}
	s.clamp()
	return true
}

func (s *scroller) clamp() { s.offset = max(0, min(s.offset, s.total-s.shown())) }

// window returns the range of lines on screen and a position footer.
func (s *scroller) window() (from, to int, footer string) {
	s.clamp()
	from, to = s.offset, min(s.offset+s.shown(), s.total)
	if s.total > s.shown() {
		footer = fmt.Sprintf("%d–%d of %d · ↑↓ pgup pgdn scroll", from+1, to, s.total)
	}
	return from, to, footer
}
