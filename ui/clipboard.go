package ui

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	sysclip "github.com/atotto/clipboard"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// ClipboardMode chooses where a copied token goes.
type ClipboardMode int

const (
	// ClipboardAuto uses the system clipboard when the session is local and
	// a clipboard tool works, and OSC 52 otherwise.
	ClipboardAuto ClipboardMode = iota
	// ClipboardOSC52 always writes OSC 52 to the user's terminal: the mode
	// for SSH sessions, whose "system clipboard" would be the server's.
	ClipboardOSC52
)

// clipboardClearAfter is how long a copied token stays in the clipboard.
const clipboardClearAfter = 45 * time.Second

// clipboard puts text where the user can paste it, and takes it back.
type clipboard interface {
	// copy stores text and says how ("the system clipboard", "OSC 52 …").
	copy(text string) (how string, err error)
	// clear removes text, if it is still what the clipboard holds.
	clear(text string) error
}

func newClipboard(mode ClipboardMode, out io.Writer) clipboard {
	osc := osc52{out}
	local := os.Getenv("SSH_CONNECTION") == "" && os.Getenv("SSH_TTY") == ""
	if mode == ClipboardOSC52 || !local || sysclip.Unsupported {
		return osc
	}
	return &systemOrOSC52{osc: osc}
}

// osc52 writes the OSC 52 sequence to the terminal, which sets its own
// clipboard: this reaches the user's machine over SSH and through tmux
// (with set-clipboard on).
type osc52 struct{ w io.Writer }

func (o osc52) copy(text string) (string, error) {
	_, err := fmt.Fprintf(o.w, "\x1b]52;c;%s\a", base64.StdEncoding.EncodeToString([]byte(text)))
	return "via OSC 52 (your terminal's clipboard)", err
}

// clear sends a payload that is not base64, which xterm and its followers
// read as "clear the selection".
func (o osc52) clear(string) error {
	_, err := io.WriteString(o.w, "\x1b]52;c;!\a")
	return err
}

// systemOrOSC52 tries the system clipboard first and remembers which one
// took the last copy, so that clear goes to the same place.
type systemOrOSC52 struct {
	osc       osc52
	mu        sync.Mutex // copy and clear run in commands, concurrently
	usedOSC52 bool
}

func (s *systemOrOSC52) copy(text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := sysclip.WriteAll(text); err == nil {
		s.usedOSC52 = false
		return "to the system clipboard", nil
	}
	s.usedOSC52 = true
	return s.osc.copy(text)
}

func (s *systemOrOSC52) clear(text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usedOSC52 {
		return s.osc.clear(text)
	}
	if cur, err := sysclip.ReadAll(); err == nil && cur != text {
		return nil // the user copied something else since: leave it
	}
	return sysclip.WriteAll("")
}

// clipState tracks the token put in the clipboard, to clear it in time.
type clipState struct {
	gen   int
	text  string // the copied token, kept only until it is cleared
	until time.Time
}

// armed reports whether a copied token still waits to be cleared.
func (c clipState) armed() bool { return c.text != "" }

type (
	copiedMsg struct {
		name, how, text string
		at              time.Time
		err             error
	}
	clipExpiredMsg struct{ gen int }
	clipClearedMsg struct{ err error }
)

// copyToken audits the copy in storage and writes the token out; both are
// I/O, so both run here rather than in Update.
func (e *env) copyToken(k model.Key) tea.Cmd {
	return func() tea.Msg {
		tok, err := e.store.Copy(e.actor, k.ID)
		if err != nil {
			return copiedMsg{name: k.DisplayName(), at: e.clock.Now(), err: err}
		}
		how, err := e.clip.copy(tok.Reveal())
		return copiedMsg{k.DisplayName(), how, tok.Reveal(), e.clock.Now(), err}
	}
}

func (e *env) clearClipboard(text string) tea.Cmd {
	return func() tea.Msg { return clipClearedMsg{e.clip.clear(text)} }
}
