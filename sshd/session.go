package sshd

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
)

// msgShuttingDown is what open and new sessions are told at shutdown.
const msgShuttingDown = "keyrack is shutting down"

// sessionAuthMiddleware checks, when a session starts, that the key the
// client signed with is the one the public-key handler accepted (the
// handler alone does not prove it: a client may offer one key and sign
// with another), and that it still belongs to an admin: with connection
// sharing, one login can open sessions long after a member was removed.
func (s *Server) sessionAuthMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pk := sess.PublicKey()
		st := authStateOf(sess.Context())
		if pk == nil || st.verified == nil || !ssh.KeysEqual(pk, st.verified.key) {
			s.log.Warn("ssh session refused", "remote", sess.RemoteAddr().String(), "reason", "key does not match the login")
			wish.Fatalln(sess, "keyrack: permission denied")
			return
		}
		id, err := s.identify(pk, remoteAddr(sess.RemoteAddr()))
		if err != nil {
			s.log.Warn("ssh session refused", "fingerprint", id.fp, "remote", sess.RemoteAddr().String(), "reason", err.Error())
			wish.Fatalln(sess, "keyrack: permission denied")
			return
		}
		l, unregister := s.register(sess, id)
		defer unregister()
		next(liveSession{Session: sess, live: l})
	}
}

// trackMiddleware counts running sessions, so that Shutdown can wait for
// them, and turns new ones away once it has begun.
func (s *Server) trackMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			wish.Fatalln(sess, msgShuttingDown)
			return
		}
		s.sessions.Add(1)
		s.mu.Unlock()
		defer s.sessions.Done()
		next(sess)
	}
}

// recoverMiddleware keeps a panic in one session from ending the daemon.
func (s *Server) recoverMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("ssh session panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				wish.Fatalln(sess, "keyrack: internal error")
			}
		}()
		next(sess)
	}
}

// sessionContext ends when the client goes away, the admin's access is
// removed or the server shuts down.
func (s *Server) sessionContext(l *live) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(l.ctx)
	stop := context.AfterFunc(s.stop, cancel)
	return ctx, func() { stop(); cancel() }
}

// cancelOnEOF ends a session's context when its input ends: the client
// closed the channel, possibly on a connection it keeps open for others.
type cancelOnEOF struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c cancelOnEOF) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if err != nil {
		c.cancel()
	}
	return n, err
}
