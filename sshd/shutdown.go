package sshd

import (
	"context"
	"time"
)

// connCloseWait is how long Shutdown waits for clients to close their
// connections after their sessions ended.
const connCloseWait = 500 * time.Millisecond

// Shutdown stops accepting connections, ends every dashboard (telling its
// admin that keyrack is shutting down), lets running commands finish until
// ctx ends, then closes every connection. It returns once no session uses
// the store any more, so the caller may close it; the error is ctx's if
// sessions had to be cut short.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	if s.ln != nil {
		// Closed here too: a Serve that has not reached Accept yet is not
		// known to the ssh server, whose Shutdown would miss it.
		s.ln.Close()
	}
	s.mu.Unlock()
	s.stopNow()

	idle := make(chan struct{})
	go func() {
		s.sessions.Wait()
		close(idle)
	}()
	connsClosed := make(chan struct{})
	shutdownCtx, cancel := context.WithCancel(ctx)
	go func() {
		// Closes the listeners at once, then waits for connections.
		_ = s.srv.Shutdown(shutdownCtx)
		close(connsClosed)
	}()

	var err error
	select {
	case <-idle:
		// Clients close their connection once their last session ends;
		// give them a moment, so that they do not see it cut.
		t := time.NewTimer(connCloseWait)
		select {
		case <-connsClosed:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	case <-ctx.Done():
		err = ctx.Err()
	}
	cancel()
	<-connsClosed
	// A client may hold a connection open with no session on it; and a
	// session still running after ctx ends is cut off here.
	_ = s.srv.Close()
	<-idle
	s.workers.Wait()
	return err
}
