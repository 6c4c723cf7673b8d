package sshd

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
)

// connectionFailed logs a connection that ended without a login, unless
// the refusal of a key it offered is already in the log: a client with no
// key at all, one that only tried passwords, or a port scanner.
func (s *Server) connectionFailed(conn net.Conn, err error) {
	remote := conn.RemoteAddr().String()
	if s.refusals.forget(remote) {
		return
	}
	reason := "no acceptable public key: " + err.Error()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		reason = fmt.Sprintf("did not log in within %s", s.loginTimeout)
	}
	s.logRefusal("remote", remote, "reason", reason)
}

// logRefusal logs a refused login, unless a flood of them is under way:
// then they are counted and summed up (rateLog).
func (s *Server) logRefusal(args ...any) {
	if s.loginLog.allow() {
		s.log.Warn("ssh login refused", args...)
	}
}

// refusals remembers which connections already have a refusal logged, so
// that each failed connection leaves at least one line and no duplicate.
type refusals struct {
	mu     sync.Mutex
	remote map[string]bool
}

func (r *refusals) note(remote string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.remote == nil {
		r.remote = map[string]bool{}
	}
	r.remote[remote] = true
}

// forget drops remote and reports whether a refusal was logged for it.
func (r *refusals) forget(remote string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	logged := r.remote[remote]
	delete(r.remote, remote)
	return logged
}
