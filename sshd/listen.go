package sshd

import (
	"net"

	"github.com/charmbracelet/ssh"
)

// Serve serves connections from ln until Shutdown. It returns
// ssh.ErrServerClosed after a shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ssh.ErrServerClosed
	}
	s.ln = newCapListener(ln, s.limits, s.refuseConn)
	capped := s.ln
	s.mu.Unlock()
	s.workers.Add(1)
	go s.watch(s.store.Watch())
	s.log.Info("ssh listening", "addr", ln.Addr().String(), "host_key", s.hostKey,
		"max_conns", s.limits.open, "max_pending", s.limits.pending, "max_pending_per_addr", s.limits.pendingPerAddr)
	err := s.srv.Serve(capped)
	if s.isClosing() {
		return ssh.ErrServerClosed // whether or not Serve saw the shutdown first
	}
	return err
}

// refuseConn counts a connection closed over the limits; the log gets one
// line, then a summary per interval.
func (s *Server) refuseConn() {
	s.refusedConns.Add(1)
	if s.overCap.allow() {
		s.log.Warn("ssh connection refused over the limits", "max_pending", s.limits.pending,
			"max_pending_per_addr", s.limits.pendingPerAddr, "max_conns", s.limits.open)
	}
}

// connections reports the SSH connections open, those not logged in yet,
// and how many were refused over the limits since the start.
func (s *Server) connections() (open, pending int, refused uint64) {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		open, pending = ln.counts()
	}
	return open, pending, s.refusedConns.Load()
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}
