package sshd

import (
	"fmt"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/ui"
)

// dashboardMiddleware runs one dashboard program for a terminal session,
// rendered for that terminal, until the admin quits, the client goes away,
// the admin's access is removed or the server shuts down. The program,
// its store subscription and the goroutine passing it window sizes end
// before the handler returns.
func (s *Server) dashboardMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		l := liveOf(sess)
		term, _ := s.terminalOf(sess)
		pty := term.pty
		ctx, cancel := s.sessionContext(l)
		defer cancel()
		resize := make(chan ui.Size)
		done := make(chan struct{})
		fed := make(chan struct{})
		go func() {
			defer close(fed)
			feedWindows(term.windows, resize, done)
		}()
		err := ui.Run(ctx, ui.Options{
			Store:           guardedStore{Store: ui.FromStorage(s.store), check: func() error { return s.stillAllowed(l, "") }},
			Actor:           l.id.actor(),
			Clock:           s.clock,
			Renderer:        sessionRenderer(sess, pty),
			Clipboard:       ui.ClipboardOSC52, // the server's clipboard is not the admin's
			Width:           pty.Window.Width,
			Height:          pty.Window.Height,
			Resize:          resize,
			NoSignalHandler: true,
		}, cancelOnEOF{sess, cancel}, sess)
		close(done)
		<-fed
		switch revoked := l.revocation(); {
		case revoked != nil:
			fmt.Fprintf(sess, "\r\nkeyrack: %s\r\n", revoked)
			_ = sess.Exit(1)
		case s.stop.Err() != nil:
			fmt.Fprintf(sess, "\n%s\n", msgShuttingDown)
			_ = sess.Exit(1)
		case err != nil:
			s.log.Error("dashboard ended with an error", "actor", l.id.actor(), "err", err)
			fmt.Fprintf(sess.Stderr(), "keyrack: %s\n", err)
			_ = sess.Exit(1)
		default:
			_ = sess.Exit(0)
		}
		next(sess)
	}
}

// feedWindows passes the newest terminal size to the program whenever one
// is waiting, until done. Sizes that arrive while the program is busy are
// coalesced in the box, so the session's request loop never waits on the
// program. A client whose output is not a terminal (`ssh -tt host > file`)
// reports 0×0: the program keeps its size then.
func feedWindows(box *windowBox, resize chan<- ui.Size, done <-chan struct{}) {
	if box == nil {
		return
	}
	for {
		select {
		case <-done:
			return
		case <-box.Changed():
		}
		w := box.Take()
		if w.Width <= 0 || w.Height <= 0 {
			continue
		}
		select {
		case resize <- ui.Size{Width: w.Width, Height: w.Height}:
		case <-done:
			return
		}
	}
}
