package sshd

import (
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Session requests keyrack refuses whatever the key: it forwards nothing.
// (Port forwarding needs channel types and global requests that the
// server does not register, so those are refused already.)
var refusedRequests = map[string]bool{
	"auth-agent-req@openssh.com": true,
	"x11-req":                    true,
}

// sessionChannel is the "session" channel handler: the library's, with
// forwarding requests answered no before they reach it.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, refusingChannel{nc}, ctx)
}

// refusingChannel is a new session channel whose requests pass through
// refuseForwarding once accepted.
type refusingChannel struct{ gossh.NewChannel }

// Accept accepts the channel and filters its requests.
func (c refusingChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go refuseForwarding(reqs, out)
	return ch, out, nil
}

// refuseForwarding answers refused requests itself and passes the rest
// on, until the channel's requests end. The library's loop it feeds never
// blocks (window changes go to a windowBox), so neither does this.
func refuseForwarding(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	for req := range in {
		if refusedRequests[req.Type] {
			_ = req.Reply(false, nil)
			continue
		}
		out <- req
	}
}

// allowPty is the PtyCallback: a key with no-pty (or restrict) may run
// commands but gets no terminal, hence no dashboard.
func (s *Server) allowPty(ctx ssh.Context, _ ssh.Pty) bool {
	st := authStateOf(ctx)
	if st.verified == nil || st.verified.line.NoPTY {
		s.log.Info("ssh terminal refused", "remote", ctx.RemoteAddr().String(), "reason", "no-pty")
		return false
	}
	return true
}

// ptyTerminal is what a session's pty-req set up: the terminal as first
// requested and the box its later sizes go to.
type ptyTerminal struct {
	pty     ssh.Pty
	windows *windowBox
}

// startPty is the PtyHandler, called in the session's request loop once
// the session has its window channel: from then on every window change
// lands in the session's windowBox at once, even before the shell or
// command starts (a client may send many first), and the request loop
// never waits on a reader. Handlers read the terminal from here, not from
// Session.Pty, which races with the library's write of each new size.
func (s *Server) startPty(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
	closer, err := s.emulatePty(ctx, sess, pty)
	if err != nil {
		return nil, err
	}
	_, windows, _ := sess.Pty() // no handler runs yet: no race
	term := ptyTerminal{pty: pty, windows: newWindowBox()}
	s.mu.Lock()
	s.terminals[sess] = term
	s.mu.Unlock()
	go func() {
		term.windows.drain(windows)
		s.mu.Lock()
		delete(s.terminals, sess)
		s.mu.Unlock()
	}()
	return closer, nil
}

// terminalOf returns the session's terminal; false without one.
func (s *Server) terminalOf(sess ssh.Session) (ptyTerminal, bool) {
	if ls, ok := sess.(liveSession); ok {
		sess = ls.Session
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	term, ok := s.terminals[sess]
	return term, ok
}

// emulatedPty returns the library's default PtyHandler, which fakes a
// terminal on the channel (keyrack runs no local process).
func emulatedPty() ssh.PtyHandler {
	var srv ssh.Server
	_ = ssh.EmulatePty()(&srv)
	return srv.PtyHandler
}
