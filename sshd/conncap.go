package sshd

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Default connection limits (Config.MaxPending, Config.MaxPendingPerAddr).
// Like OpenSSH's MaxStartups, they bound connections that have not logged
// in yet: a flood of idle sockets cannot take every file descriptor, and
// so cannot take the HTTP side down with it.
const (
	DefaultMaxPending        = 256
	DefaultMaxPendingPerAddr = 32
)

// limits bounds the SSH side's connections.
type limits struct {
	pending, pendingPerAddr int // not logged in yet
	open                    int // all SSH connections: the SSH share of the fd budget
}

// capListener admits a connection only while it stays under the limits;
// one over them is closed at once, before any byte of the handshake, and
// counted. Admitted connections give their slots back when they log in
// (pending) and when they close (open).
type capListener struct {
	net.Listener
	limits  limits
	refused func() // called for each refused connection

	mu      sync.Mutex
	pending map[netip.Addr]int
	waiting int // sum of pending
	open    int
}

func newCapListener(ln net.Listener, lim limits, refused func()) *capListener {
	return &capListener{Listener: ln, limits: lim, refused: refused, pending: map[netip.Addr]int{}}
}

// Accept returns the next connection within the limits.
func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc := l.admit(c); tc != nil {
			return tc, nil
		}
		l.refused() // counted before the client can see the close
		c.Close()
	}
}

func (l *capListener) admit(c net.Conn) *trackedConn {
	addr := remoteAddr(c.RemoteAddr())
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.limits.open || l.waiting >= l.limits.pending || l.pending[addr] >= l.limits.pendingPerAddr {
		return nil
	}
	l.open++
	l.waiting++
	l.pending[addr]++
	return &trackedConn{Conn: c, l: l, addr: addr}
}

// counts returns the connections open and those not logged in yet.
func (l *capListener) counts() (open, pending int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.waiting
}

func (l *capListener) release(addr netip.Addr, pending, open bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pending {
		l.waiting--
		if l.pending[addr]--; l.pending[addr] <= 0 {
			delete(l.pending, addr)
		}
	}
	if open {
		l.open--
	}
}

// trackedConn is an admitted connection holding its slots.
type trackedConn struct {
	net.Conn
	l        *capListener
	addr     netip.Addr
	loggedIn atomic.Bool
	closed   atomic.Bool
}

// authenticated gives back the connection's pending slot.
func (c *trackedConn) authenticated() {
	if c.loggedIn.CompareAndSwap(false, true) {
		c.l.release(c.addr, true, false)
	}
}

// Close closes the connection and gives back its slots.
func (c *trackedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.release(c.addr, c.loggedIn.CompareAndSwap(false, true), true)
	}
	return c.Conn.Close()
}
