package sshd

import (
	"errors"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

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
