package ui

import (
	"context"
	"errors"
	"io"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
)

// Run shows the dashboard on in and out until the user quits or ctx ends:
// locally with os.Stdin and os.Stdout, or per SSH session with the session
// as both. Storage changes reach the program while it runs; a token still
// in the clipboard is cleared when it ends.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.NewRenderer(out) // termenv detects colours on the *os.File itself
	}
	w := lockWriter(out)
	if opts.Output == nil {
		opts.Output = w
	}
	m := New(opts)
	defer m.shutdown()
	// All motion, not cell motion: hovering a row without a button pressed
	// shows its details, as Lago's table does.
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(w),
		tea.WithAltScreen(), tea.WithMouseAllMotion()}
	if opts.NoSignalHandler {
		popts = append(popts, tea.WithoutSignalHandler())
	}
	p := tea.NewProgram(m, popts...)

	changes := opts.Store.Watch()
	defer changes.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		forward(p.Send, changes, opts.Resize, stop) // Send returns once the program has stopped
	}()

	final, err := p.Run()
	close(stop)
	wg.Wait()
	if fm, ok := final.(*Model); ok && fm.clip.armed() {
		_, _ = fm.env.clip.clear(fm.clip.text) // nobody is left to read what it says
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the session ended: not an error of the dashboard
	}
	return err
}

// forward delivers storage changes, with what they did, and window sizes
// to the program until stop closes.
func forward(send func(tea.Msg), changes Changes, resize <-chan Size, stop <-chan struct{}) {
	signal := changes.C()
	for {
		select {
		case <-stop:
			return
		case _, ok := <-signal:
			if !ok {
				signal = nil // the store closed: keep serving resizes
				continue
			}
			send(changedMsg{changes.Events()})
		case s, ok := <-resize:
			if !ok {
				resize = nil
				continue
			}
			send(tea.WindowSizeMsg{Width: s.Width, Height: s.Height})
		}
	}
}

// lockedWriter serialises the program's frames with OSC 52 sequences
// written from commands, so that neither cuts into the other.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// lockedFile keeps a terminal's file descriptor visible, so that Bubble
// Tea still finds the window size of a local terminal.
type lockedFile struct {
	*lockedWriter
	f term.File
}

func (l lockedFile) Read(b []byte) (int, error) { return l.f.Read(b) }
func (l lockedFile) Close() error               { return l.f.Close() }
func (l lockedFile) Fd() uintptr                { return l.f.Fd() }

func lockWriter(out io.Writer) io.Writer {
	lw := &lockedWriter{w: out}
	if f, ok := out.(term.File); ok {
		return lockedFile{lw, f}
	}
	return lw
}
