package sshd

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/model"
)

// live is a running session, registered so that it can be cut off the
// moment its admin loses access.
type live struct {
	id     identity
	ctx    context.Context // cancelled, with a *revokedError cause, on revocation
	revoke context.CancelCauseFunc
}

// revokedError is why a session was cut off; its message is the last
// line its admin sees.
type revokedError struct{ why string }

func (e *revokedError) Error() string { return e.why }

// revocation returns the session's revocation, or nil while it may go on.
func (l *live) revocation() error {
	var r *revokedError
	if errors.As(context.Cause(l.ctx), &r) {
		return r
	}
	return nil
}

// liveSession is an ssh.Session that carries its registration down the
// middlewares.
type liveSession struct {
	ssh.Session
	live *live
}

func liveOf(sess ssh.Session) *live {
	if ls, ok := sess.(liveSession); ok {
		return ls.live
	}
	return nil
}

// register adds a session of id to the ones checked after every change;
// the returned func removes it.
func (s *Server) register(sess ssh.Session, id identity) (*live, func()) {
	ctx, cancel := context.WithCancelCause(sess.Context())
	l := &live{id: id, ctx: ctx, revoke: cancel}
	s.mu.Lock()
	s.live[l] = struct{}{}
	s.mu.Unlock()
	stopExpiry := s.expireAt(l)
	return l, func() {
		stopExpiry()
		s.mu.Lock()
		delete(s.live, l)
		s.mu.Unlock()
		cancel(nil)
	}
}

// expireAt cuts the session off when its key's expiry-time comes.
func (s *Server) expireAt(l *live) (stop func()) {
	if l.id.line.Expires.IsZero() {
		return func() {}
	}
	due, cancel := s.clock.After(l.id.line.Expires.Sub(s.clock.Now()))
	go func() {
		select {
		case <-due:
			s.cut(l, msgKeyExpired)
		case <-l.ctx.Done():
		}
	}()
	return cancel
}

// reasonReload names who removed a bootstrap key's access; msgKeyExpired
// is the last line of a session whose key's expiry-time came.
const (
	reasonReload  = "a reload of the server's admin keys"
	msgKeyExpired = "your SSH key expired (expiry-time)"
)

// recheck identifies the running sessions that pick selects again and
// cuts off the ones whose key may no longer log in. pick also names who
// caused it, when it knows ("": the audit log is asked).
func (s *Server) recheck(pick func(l *live) (check bool, by string)) {
	s.mu.Lock()
	sessions := make([]*live, 0, len(s.live))
	for l := range s.live {
		sessions = append(sessions, l)
	}
	s.mu.Unlock()
	for _, l := range sessions {
		if check, by := pick(l); check {
			_ = s.stillAllowed(l, by)
		}
	}
}

// stillAllowed identifies the session's key again and cuts the session
// off if it may no longer log in; it returns the revocation, if any. A
// failure to read the store is not a refusal: the call it guards will
// meet the same failure. by names who removed the access, if known.
func (s *Server) stillAllowed(l *live, by string) error {
	if err := l.revocation(); err != nil {
		return err
	}
	switch _, err := s.identify(l.id.key, l.id.remote); {
	case errors.Is(err, errKeyExpired):
		s.cut(l, msgKeyExpired)
	case errors.Is(err, errNotAdmin):
		s.cut(l, "your access was removed by "+s.remover(l.id, by))
	}
	return l.revocation()
}

// cut revokes one session and logs it.
func (s *Server) cut(l *live, why string) {
	if l.revocation() != nil {
		return
	}
	l.revoke(&revokedError{why: why})
	s.log.Warn("ssh session closed", "actor", l.id.actor(), "remote", l.id.remote.String(), "reason", why)
}

// remover names who removed id's access: by when known, else the newest
// member change about them in the audit log.
func (s *Server) remover(id identity, by string) string {
	if by != "" || id.email == "" {
		return cmp.Or(by, reasonReload)
	}
	entries, err := s.store.Audit(50)
	if err == nil {
		for _, e := range entries {
			switch e.Action {
			case model.ActionMemberRemove, model.ActionMemberRole, model.ActionMemberKeyDel:
				if strings.HasPrefix(e.Detail, id.email+" ") {
					return e.Actor
				}
			}
		}
	}
	return "an admin"
}
