package sshd

import (
	"sync"

	"github.com/charmbracelet/ssh"
)

// windowBox holds a session's latest terminal size. The session's request
// loop puts every window change here without ever waiting, and a reader
// takes only the newest: a burst of resizes costs one redraw, and a slow
// reader never stalls the connection.
type windowBox struct {
	mu      sync.Mutex
	latest  ssh.Window
	changed chan struct{} // holds a signal while an unread size waits
}

func newWindowBox() *windowBox { return &windowBox{changed: make(chan struct{}, 1)} }

// put records w as the latest size.
func (b *windowBox) put(w ssh.Window) {
	b.mu.Lock()
	b.latest = w
	b.mu.Unlock()
	select {
	case b.changed <- struct{}{}:
	default: // a signal already waits; the reader will take w
	}
}

// Changed receives when a size not yet taken is waiting.
func (b *windowBox) Changed() <-chan struct{} { return b.changed }

// Take returns the latest size.
func (b *windowBox) Take() ssh.Window {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.latest
}

// drain moves a session's window changes into b until the session ends
// (the library closes the channel when the session's requests end).
func (b *windowBox) drain(windows <-chan ssh.Window) {
	for w := range windows {
		b.put(w)
	}
}
