package sshd

// watch rechecks the running sessions after every change to the store
// until the server shuts down: a member removed, demoted or stripped of a
// key loses their sessions within moments of the commit.
// It ends the subscription when it returns.
func (s *Server) watch(changes <-chan struct{}, unsubscribe func()) {
	defer s.workers.Done()
	defer unsubscribe()
	for {
		select {
		case <-s.stop.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return // the store closed
			}
			s.recheck(reasonChange)
		}
	}
}
