package sshd

import "github.com/keyrack/keyrack/storage"

// watch rechecks the running sessions of every member a commit touched
// until the server shuts down: a member removed, demoted or stripped of a
// key loses their sessions within moments of the commit, with the name of
// whoever did it. It closes the subscription when it returns.
func (s *Server) watch(sub *storage.Subscription) {
	defer s.workers.Done()
	defer sub.Close()
	for {
		select {
		case <-s.stop.Done():
			return
		case _, ok := <-sub.C():
			if !ok {
				return // the store closed
			}
			s.recheckMembers(sub.Events())
		}
	}
}

// recheckMembers rechecks the sessions of the members events name; when
// events were lost, every session, with the audit log naming who acted.
func (s *Server) recheckMembers(events []storage.Event) {
	actors := map[string]string{} // member → who changed them last
	for _, e := range events {
		if e.Lost {
			s.recheck(func(l *live) (bool, string) { return true, "" })
			return
		}
		if e.Member != "" {
			actors[e.Member] = e.Actor
		}
	}
	if len(actors) == 0 {
		return
	}
	s.recheck(func(l *live) (bool, string) {
		actor, touched := actors[l.id.email]
		return touched, actor
	})
}
