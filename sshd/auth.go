package sshd

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/model"
	gossh "golang.org/x/crypto/ssh"
)

// identity is an admin who logged in: the key they proved they hold, the
// authorized_keys line that let it in and, unless it is a bootstrap key,
// the member who owns it.
type identity struct {
	key    gossh.PublicKey
	fp     string              // SHA256 fingerprint
	email  string              // "" for a bootstrap key no member owns
	line   model.AuthorizedKey // its options: no-pty, from, expiry-time
	remote netip.Addr
}

// actor names the admin in the audit log and in mail.
func (id identity) actor() string {
	if id.email == "" {
		return "bootstrap key " + id.fp
	}
	return fmt.Sprintf("%s (%s)", id.email, id.fp)
}

// errNotAdmin marks a refusal, as opposed to a failure to decide.
var errNotAdmin = errors.New("not an admin")

// identify decides whether key may log in as an admin from remote now.
// Members are read at every call, so that adding or removing one takes
// effect at once. A key may be let in by its member's line or by a
// bootstrap line; like OpenSSH, a line whose options refuse (from=,
// expiry-time=) gives way to the next one. A member's key names the
// member even when it is also a bootstrap key.
func (s *Server) identify(key gossh.PublicKey, remote netip.Addr) (identity, error) {
	id := identity{key: key, fp: gossh.FingerprintSHA256(key), remote: remote}
	m, found, err := s.store.MemberBySSHKey(string(gossh.MarshalAuthorizedKey(key)))
	if err != nil {
		return id, fmt.Errorf("look up key: %w", err)
	}
	var refusal error
	if found && m.Role == model.RoleAdmin {
		line, _ := m.AuthorizedKey(key)
		if refusal = s.allows(line, remote); refusal == nil {
			id.email, id.line = m.Email, line
			return id, nil
		}
	}
	if line, ok := s.bootstrapLine(key); ok {
		err := s.allows(line, remote)
		if err == nil {
			id.line = line
			return id, nil
		}
		refusal = cmp.Or(refusal, err)
	}
	switch {
	case refusal != nil:
		return id, refusal
	case found:
		return id, fmt.Errorf("%w: %s is %s", errNotAdmin, m.Email, m.Role)
	}
	return id, fmt.Errorf("%w: unknown key", errNotAdmin)
}

// allows applies a line's from= and expiry-time= options.
func (s *Server) allows(line model.AuthorizedKey, remote netip.Addr) error {
	if !line.AllowsFrom(remote) {
		return fmt.Errorf("%w: key not allowed from %s (from=%q)", errNotAdmin, remote, strings.Join(line.From, ","))
	}
	if line.ExpiredAt(s.clock.Now()) {
		return fmt.Errorf("%w: key expired at %s (expiry-time)", errNotAdmin, line.Expires.Format(time.RFC3339))
	}
	return nil
}

// remoteAddr is the client's address without its port.
func remoteAddr(a net.Addr) netip.Addr {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// authState is what a connection's authentication left behind: every key
// the handler accepted (a client may offer several) and the one whose
// signature the server then verified.
type authState struct {
	accepted map[string]identity // by fingerprint
	verified *identity
}

type authStateKey struct{}

func authStateOf(ctx ssh.Context) *authState {
	st, _ := ctx.Value(authStateKey{}).(*authState)
	if st == nil {
		st = &authState{accepted: map[string]identity{}}
		ctx.SetValue(authStateKey{}, st)
	}
	return st
}

// checkPublicKey is the public-key handler: it answers whether a key may
// log in. Accepting is not logging in yet (the client has not signed), so
// only refusals are logged here.
func (s *Server) checkPublicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	id, err := s.identify(key, remoteAddr(ctx.RemoteAddr()))
	if err != nil {
		s.logRefusal("fingerprint", id.fp, "remote", ctx.RemoteAddr().String(), "user", ctx.User(), "reason", err.Error())
		s.refusals.note(ctx.RemoteAddr().String())
		return false
	}
	authStateOf(ctx).accepted[id.fp] = id
	return true
}

// serverConfig adds to each connection's handshake the callbacks that
// charmbracelet/ssh leaves free: one log line when a key's signature is
// verified (the login), and one for any method other than public key.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		VerifiedPublicKeyCallback: func(conn gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			st := authStateOf(ctx)
			id, ok := st.accepted[gossh.FingerprintSHA256(key)]
			if !ok {
				return nil, errors.New("permission denied")
			}
			st.verified = &id
			loggedIn(ctx)
			s.refusals.forget(conn.RemoteAddr().String())
			s.log.Info("ssh login accepted", "fingerprint", id.fp, "remote", conn.RemoteAddr().String(),
				"user", conn.User(), "actor", id.actor())
			return perms, nil
		},
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			if method == "none" || method == "publickey" || err == nil {
				return // "none" opens every login; public keys are logged above
			}
			s.logRefusal("method", method, "remote", conn.RemoteAddr().String(), "user", conn.User(),
				"reason", "public-key authentication only")
			s.refusals.note(conn.RemoteAddr().String())
		},
	}
}

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
