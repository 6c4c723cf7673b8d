package sshd

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

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

// errNotAdmin marks a refusal, as opposed to a failure to decide;
// errKeyExpired, a refusal because the key's expiry-time has passed.
var (
	errNotAdmin   = errors.New("not an admin")
	errKeyExpired = errors.New("key expired")
)

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
		return fmt.Errorf("%w: %w at %s (expiry-time)", errNotAdmin, errKeyExpired, line.Expires.Format(time.RFC3339))
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
