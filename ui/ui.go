// Package ui is keyrack's dashboard: a Bubble Tea program that shows the
// organization's API keys like Lago's "Developers › API keys" screen and
// acts on them through storage. Each view or dialog lives in its own file;
// this one holds the root model that routes messages between them.
package ui

import (
	"io"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// Size is a terminal size in cells.
type Size struct{ Width, Height int }

// Options configure one dashboard session.
type Options struct {
	Store Store
	// Actor names who acts in the audit log ("alice@example.com (SHA256:…)").
	Actor string
	// Clock drives relative times and timers; default clock.Real.
	Clock clock.Clock
	// Renderer builds the styles: one per session, so that colours (or
	// their absence with NO_COLOR) fit the terminal that sees them.
	Renderer *lipgloss.Renderer
	// Clipboard chooses between the system clipboard and OSC 52.
	Clipboard ClipboardMode
	// Output receives OSC 52 sequences: the user's terminal. Run sets it.
	Output io.Writer
	// Width and Height are the size before the first resize event.
	Width, Height int
	// Resize delivers later sizes when the terminal is not a local tty
	// (an SSH session's window-change events). Run forwards them.
	Resize <-chan Size
	// NoSignalHandler stops the program from catching SIGINT/SIGTERM, for
	// one program among many in a server.
	NoSignalHandler bool
}

// env is what every view shares: dependencies, not state.
type env struct {
	store    Store
	actor    string
	clock    clock.Clock
	st       styles
	bindings keyBindings
	clip     clipboard
	done     chan struct{} // closed when the program ends: pending timers give up
}

// Model is the root of the dashboard. Create it with New.
type Model struct {
	env           *env
	org           string
	width, height int
	now           time.Time

	table     keyTable
	usage     keyUsage   // the selected key's last 24 h and last sighting
	filtering *textField // non-nil while the filter is being typed
	pane      pane       // the open view or dialog, nil on the key table

	waiting  int // undelivered mails, counted with every key load
	reveal   revealState
	clip     clipState
	tickGen  int
	loading  bool
	reloadAg bool // a change arrived while a load was running
	status   status
	departed map[string]string // why keys went (id → status text), for the dialog about one of them
	// closedEarly is the key whose dialog a load closed before the change
	// that removed it was reported: its report then says so.
	closedEarly string
}

// New builds a dashboard model. Run is the usual way to show it; New is
// for embedding the model in another program and for tests.
func New(opts Options) *Model {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Renderer == nil {
		w := opts.Output
		if w == nil {
			w = os.Stdout
		}
		opts.Renderer = lipgloss.NewRenderer(w)
	}
	if opts.Output == nil {
		opts.Output = os.Stdout
	}
	if opts.Width <= 0 || opts.Height <= 0 {
		opts.Width, opts.Height = 80, 24
	}
	e := &env{store: opts.Store, actor: opts.Actor, clock: opts.Clock,
		st: newStyles(opts.Renderer), bindings: newKeyBindings(),
		clip: newClipboard(opts.Clipboard, opts.Output), done: make(chan struct{})}
	m := &Model{env: e, org: model.Printable(opts.Store.Organization()),
		width: opts.Width, height: opts.Height, now: opts.Clock.Now(),
		table: newKeyTable(), loading: true}
	m.table.resize(m.visibleRows())
	return m
}

// Init loads the keys and starts the clock that refreshes relative times.
func (m *Model) Init() tea.Cmd {
	m.tickGen++
	return tea.Batch(m.env.loadKeys(), m.env.tickAt(m.now.Add(time.Second), m.tickGen))
}

// shutdown makes pending timers give up; Run calls it when the program ends.
func (m *Model) shutdown() {
	select {
	case <-m.env.done:
	default:
		close(m.env.done)
	}
}

// observe moves the model's notion of now forward with a message's time.
func (m *Model) observe(at time.Time) {
	if at.After(m.now) {
		m.now = at
	}
}
