package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"

	tea "github.com/charmbracelet/bubbletea"
)

// countedLines is a pagerPane's content for tests: it reads the next of
// a list of answers and lays out as many numbered lines as the answer says.
type countedLines struct {
	pagerPane[int]
	answers []error // nil: a read that succeeds with reads*10 lines
	reads   int
}

func newCountedLines(answers ...error) *countedLines {
	e := &env{st: newStyles(asciiRenderer()), bindings: newKeyBindings()}
	c := &countedLines{answers: answers}
	c.pagerPane = newPagerPane(e, e.bindings.Usage, c)
	return c
}

func (c *countedLines) reader() readFunc[int] {
	c.reads++
	n, err := c.reads*10, c.answers[c.reads-1]
	return func() (int, error) { return n, err }
}

func (c *countedLines) lines() []string {
	out := listNote(c.env.st, c.err, c.loaded(), c.data, "loading…", "empty")
	for i := range c.data {
		out = append(out, fmt.Sprintf("line %d", i+1))
	}
	return out
}

func (c *countedLines) update(msg tea.Msg) (pane, tea.Cmd) { return c.pagerPane.update(msg) }
func (c *countedLines) view(int, int, time.Time) string    { return c.pager.view() }
func (c *countedLines) help() []key.Binding                { return c.env.bindings.pagerHelp() }

// step hands msg to the pane and runs the command it returns, as the
// program would, handing back what the command answered.
func (c *countedLines) step(t *testing.T, msg tea.Msg) pane {
	t.Helper()
	p, cmd := c.update(msg)
	if cmd != nil {
		p, _ = c.update(cmd())
	}
	return p
}

func TestPagerPaneReadsWhenItOpensAndAfterEveryCommitOnly(t *testing.T) {
	c := newCountedLines(nil, nil)
	c.step(t, tea.WindowSizeMsg{Width: 40, Height: 6})
	if c.reads != 1 || c.data != 10 || !strings.Contains(c.pager.view(), "line 1 ") {
		t.Fatalf("after opening: %d reads, pager:\n%s", c.reads, c.pager.view())
	}
	c.step(t, tea.WindowSizeMsg{Width: 30, Height: 6}) // a resize is no commit
	if c.reads != 1 {
		t.Fatalf("a resize read again: %d reads", c.reads)
	}
	c.step(t, changedMsg{})
	if c.reads != 2 || c.data != 20 {
		t.Fatalf("after a commit: %d reads, %d lines kept", c.reads, c.data)
	}
}

func TestPagerPaneKeepsItsScrollPositionAcrossAReload(t *testing.T) {
	c := newCountedLines(nil, nil)
	c.step(t, tea.WindowSizeMsg{Width: 40, Height: 6})
	c.step(t, keyMsg("pgdown"))
	top := c.pager.vp.YOffset
	if top == 0 {
		t.Fatal("pgdown did not scroll")
	}
	c.step(t, changedMsg{})
	if c.pager.vp.YOffset != top {
		t.Fatalf("the reload moved the text from line %d to %d", top, c.pager.vp.YOffset)
	}
}

func TestPagerPaneKeepsTheNewerReadWhenAnOlderOneAnswersLate(t *testing.T) {
	c := newCountedLines(nil, nil, nil, nil)
	_, first := c.update(tea.WindowSizeMsg{Width: 40, Height: 6})
	_, second := c.update(changedMsg{})
	c.update(second())
	c.update(first()) // late: a commit started a newer read meanwhile
	if c.data != 20 {
		t.Fatalf("the older read's answer replaced the newer one's (%d lines kept)", c.data)
	}
	// Answers in order are each shown: under frequent commits the view
	// does not wait for the reads to stop.
	_, third := c.update(changedMsg{})
	_, fourth := c.update(changedMsg{})
	c.update(third())
	if c.data != 30 {
		t.Fatalf("an answer that a newer read had yet to supersede was dropped (%d lines kept)", c.data)
	}
	c.update(fourth())
	if c.data != 40 {
		t.Fatalf("the newest answer was dropped (%d lines kept)", c.data)
	}
}

func TestPagerPaneShowsAFailedReadAndKeepsWhatItHad(t *testing.T) {
	c := newCountedLines(nil, errors.New("store unreachable"))
	c.step(t, tea.WindowSizeMsg{Width: 40, Height: 6})
	c.step(t, changedMsg{})
	if !strings.Contains(c.pager.view(), "✗ store unreachable") || c.data != 10 {
		t.Fatalf("after a failed read (%d lines kept):\n%s", c.data, c.pager.view())
	}
}

func TestPagerPaneClosesOnEscQAndTheKeyThatOpenedIt(t *testing.T) {
	for _, k := range []string{"esc", "q", "u"} {
		c := newCountedLines(nil)
		c.step(t, tea.WindowSizeMsg{Width: 40, Height: 6})
		if p := c.step(t, keyMsg(k)); p != nil {
			t.Errorf("%s left the pane open", k)
		}
	}
	if p := newCountedLines(nil).step(t, keyMsg("down")); p == nil {
		t.Errorf("a movement key closed the pane")
	}
}
