package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// pager is the one scroll implementation of the dashboard: a
// bubbles/viewport moved by the dashboard's own key bindings, for text
// that is read rather than picked from (help, audit log, a mail, the
// permission matrix). Content is set in Update; View only draws.
type pager struct {
	vp viewport.Model
}

func newPager(k keyBindings) pager {
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp,
		PageDown: key.NewBinding(key.WithKeys(append(k.PageDown.Keys(), " ")...))}
	return pager{vp: vp}
}

// resize sets the area the text scrolls in.
func (p *pager) resize(width, height int) {
	p.vp.Width, p.vp.Height = width, max(1, height)
	p.vp.SetYOffset(p.vp.YOffset)
}

// setLines replaces the text, keeping the scroll position where it can.
func (p *pager) setLines(lines []string) {
	p.vp.SetContent(strings.Join(lines, "\n"))
	p.vp.SetYOffset(p.vp.YOffset)
}

// key scrolls on a movement keypress and reports whether it was one.
func (p *pager) keypress(k keyBindings, msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, k.Home):
		p.vp.GotoTop()
	case key.Matches(msg, k.End):
		p.vp.GotoBottom()
	case key.Matches(msg, p.vp.KeyMap.Up, p.vp.KeyMap.Down, p.vp.KeyMap.PageUp, p.vp.KeyMap.PageDown):
		p.vp, _ = p.vp.Update(msg)
	default:
		return false
	}
	return true
}

// show scrolls as little as possible so that line is on screen.
func (p *pager) show(line int) {
	switch {
	case line < p.vp.YOffset:
		p.vp.SetYOffset(line)
	case line >= p.vp.YOffset+p.vp.Height:
		p.vp.SetYOffset(line - p.vp.Height + 1)
	}
}

// pagerHelp lists the keys of a view that is one pager, for the help bar.
func (k keyBindings) pagerHelp() []key.Binding {
	return []key.Binding{withHelp(k.Back, "esc", "back"), k.Up, k.Down, k.PageUp, k.PageDown}
}

func (p pager) view() string { return p.vp.View() }

// footer says which lines show when not all do: "12–30 of 44 · ↑↓ pgup pgdn".
func (p pager) footer() string {
	total := p.vp.TotalLineCount()
	if total <= p.vp.Height {
		return ""
	}
	from := p.vp.YOffset
	return fmt.Sprintf("lines %d–%d of %d · ↑↓ pgup pgdn scroll", from+1, min(from+p.vp.Height, total), total)
}
