package sshd

import (
	"fmt"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/ui"
)

// dashboardMiddleware runs one dashboard program for a terminal session,
// rendered for that terminal, until the admin quits, the client goes away
// or the server shuts down. The program and its store subscription end
// before the handler returns.
func (s *Server) dashboardMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pty, windows, _ := sess.Pty()
		ctx, cancel := s.sessionContext(sess)
		defer cancel()
		resize := make(chan ui.Size)
		done := make(chan struct{})
		go forwardWindows(windows, resize, done)
		err := ui.Run(ctx, ui.Options{
			Store:           s.store,
			Actor:           identityOf(sess).actor(),
			Clock:           s.clock,
			Renderer:        sessionRenderer(sess, pty),
			Clipboard:       ui.ClipboardOSC52, // the server's clipboard is not the admin's
			Width:           pty.Window.Width,
			Height:          pty.Window.Height,
			Resize:          resize,
			NoSignalHandler: true,
		}, cancelOnEOF{sess, cancel}, sess)
		close(done)
		switch {
		case s.stop.Err() != nil:
			fmt.Fprintf(sess, "\n%s\n", msgShuttingDown)
			_ = sess.Exit(1)
		case err != nil:
			s.log.Error("dashboard ended with an error", "actor", identityOf(sess).actor(), "err", err)
			fmt.Fprintf(sess.Stderr(), "keyrack: %s\n", err)
			_ = sess.Exit(1)
		default:
			_ = sess.Exit(0)
		}
		next(sess)
	}
}

// forwardWindows passes the terminal's size changes to the program while
// it runs. It keeps draining them afterwards until the session closes the
// channel: the session's request loop blocks on it otherwise. A client
// whose output is not a terminal (`ssh -tt host > file`) reports 0×0:
// the program keeps its default size then.
func forwardWindows(windows <-chan ssh.Window, resize chan<- ui.Size, done <-chan struct{}) {
	for w := range windows {
		if w.Width <= 0 || w.Height <= 0 {
			continue
		}
		select {
		case resize <- ui.Size{Width: w.Width, Height: w.Height}:
		case <-done:
		}
	}
}
