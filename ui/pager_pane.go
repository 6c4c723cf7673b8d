package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pagerPane is what the read-only views that scroll one text (the audit
// log, a key's usage) do alike: read their data from storage when they
// open and again after every commit, lay it out in the pager, scroll on
// the movement keys and close on esc, q or the key binding that opened
// them. A view embeds one and is its content: it says how to read and
// how to lay out.
type pagerPane[T any] struct {
	env *env
	loadState[T]
	pager   pager
	width   int
	closeOn key.Binding
	content pagerContent[T] // the view that embeds this pagerPane
}

// pagerContent is the view that embeds a pagerPane: the part that
// differs between views.
type pagerContent[T any] interface {
	pane
	// reader returns the read that a tea.Cmd runs (see loadState).
	reader() readFunc[T]
	// lines lays out the data in the pager's width.
	lines() []string
}

func newPagerPane[T any](e *env, closeOn key.Binding, content pagerContent[T]) pagerPane[T] {
	return pagerPane[T]{env: e, loadState: loadState[T]{reader: content.reader}, pager: newPager(e.bindings),
		closeOn: closeOn, content: content}
}

// update handles msg for the view; it returns the view, or nil when the
// keypress closes it.
func (p *pagerPane[T]) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width = msg.Width
		p.pager.resize(msg.Width, msg.Height-1) // the title line above the text
		p.render()
		return p.content, p.opening()
	case changedMsg:
		return p.content, p.load()
	case loadedMsg[T]:
		if p.keep(msg) {
			p.render()
		}
	case tea.KeyMsg:
		k := p.env.bindings
		if key.Matches(msg, k.Back, p.closeOn, k.Quit) {
			return nil, nil
		}
		p.pager.keypress(k, msg)
	}
	return p.content, nil
}

func (p *pagerPane[T]) render() { p.pager.setLines(p.content.lines()) }
