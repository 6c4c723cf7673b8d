package sshd

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
)

// DefaultLoginTimeout is how long a connection may take to log in when
// Config.LoginTimeout is zero, like OpenSSH's LoginGraceTime.
const DefaultLoginTimeout = 30 * time.Second

type loginConnKey struct{}

// loginDeadlineConn cuts off a connection that has not logged in by its
// deadline: one that says nothing, or keeps the handshake going, would
// otherwise hold a socket and a goroutine for as long as it likes.
// charmbracelet/ssh sets the connection's deadline before every read and
// write; until the login, the deadline is capped here.
type loginDeadlineConn struct {
	net.Conn
	deadline time.Time
	loggedIn atomic.Bool
}

// SetDeadline sets t, or the login deadline while it is earlier.
func (c *loginDeadlineConn) SetDeadline(t time.Time) error {
	if !c.loggedIn.Load() && (t.IsZero() || t.After(c.deadline)) {
		t = c.deadline
	}
	return c.Conn.SetDeadline(t)
}

// wrapConn is the server's ConnCallback: it puts every new connection
// under the login deadline.
func (s *Server) wrapConn(ctx ssh.Context, conn net.Conn) net.Conn {
	c := &loginDeadlineConn{Conn: conn, deadline: time.Now().Add(s.loginTimeout)}
	if err := c.SetDeadline(time.Time{}); err != nil {
		conn.Close()
		return nil
	}
	ctx.SetValue(loginConnKey{}, c)
	return c
}

// loggedIn lifts the login deadline of ctx's connection and gives back
// its slot among the connections not logged in yet.
func loggedIn(ctx ssh.Context) {
	if c, ok := ctx.Value(loginConnKey{}).(*loginDeadlineConn); ok {
		c.loggedIn.Store(true)
		if tc, ok := c.Conn.(*trackedConn); ok {
			tc.authenticated()
		}
	}
}
