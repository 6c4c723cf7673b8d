package ui

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	sysclip "github.com/atotto/clipboard"
	osc52 "github.com/aymanbagabas/go-osc52/v2"
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
	// copy stores text and says how ("to the system clipboard", "via OSC 52 …").
	copy(text string) (how string, err error)
	// clear removes text, if it is still what the clipboard holds, and
	// says what is known to have happened: an OSC 52 terminal may ignore
	// the request, and tmux keeps a buffer of its own.
	clear(text string) (said string, err error)
}

// newClipboard picks the clipboard of a session. A local session inside
// tmux also gets to delete the buffer tmux makes of an OSC 52 copy.
func newClipboard(mode ClipboardMode, out io.Writer) clipboard {
	local := os.Getenv("SSH_CONNECTION") == "" && os.Getenv("SSH_TTY") == ""
	osc := oscClipboard{w: out}
	if local && os.Getenv("TMUX") != "" {
		osc.tmux = &tmuxBuffers{run: runTmux}
	}
	if mode == ClipboardOSC52 || !local || sysclip.Unsupported {
		return osc
	}
	return &systemOrOSC52{osc: osc}
}

// oscClipboard writes OSC 52 sequences to the terminal, which sets its own
// clipboard: this reaches the user's machine over SSH and through tmux
// (with set-clipboard on).
type oscClipboard struct {
	w    io.Writer
	tmux *tmuxBuffers // nil outside a local tmux
}

func (o oscClipboard) copy(text string) (string, error) {
	_, err := osc52.New(text).WriteTo(o.w)
	return "via OSC 52 (your terminal's clipboard)", err
}

// clear sends an empty payload; whether the terminal honours it cannot be
// known, so the answer says so.
func (o oscClipboard) clear(text string) (string, error) {
	if _, err := osc52.New("").WriteTo(o.w); err != nil {
		return "", err
	}
	said := "asked your terminal to clear the clipboard; tmux or your terminal may keep a copy"
	if o.tmux == nil {
		return said, nil
	}
	n, err := o.tmux.drop(text)
	if err != nil {
		return said, fmt.Errorf("asked your terminal to clear the clipboard, but tmux's copy may remain: %w", err)
	}
	if n > 0 {
		said = "asked your terminal to clear the clipboard and deleted tmux's copy; your terminal may keep one"
	}
	return said, nil
}

// systemOrOSC52 tries the system clipboard first and remembers which one
// took the last copy, so that clear goes to the same place.
type systemOrOSC52 struct {
	osc       oscClipboard
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

func (s *systemOrOSC52) clear(text string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usedOSC52 {
		return s.osc.clear(text)
	}
	if cur, err := sysclip.ReadAll(); err == nil && cur != text {
		return "the clipboard holds something newer: left as it is", nil
	}
	return "clipboard cleared", sysclip.WriteAll("")
}
