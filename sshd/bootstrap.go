package sshd

import (
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	gossh "golang.org/x/crypto/ssh"
)

// bootstrapLine returns the bootstrap line for key, if there is one.
func (s *Server) bootstrapLine(key gossh.PublicKey) (model.AuthorizedKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.bootstrap {
		if k.SameKey(key) {
			return k, true
		}
	}
	return model.AuthorizedKey{}, false
}

// Reload replaces the bootstrap keys (serve calls it on SIGHUP with
// --admin-key and KEYRACK_ADMIN_KEYS read again). Sessions of a key that
// no longer lets its holder in are closed at once. On error nothing
// changes.
func (s *Server) Reload(adminKeys []string) error {
	keys, err := parseAdminKeys(adminKeys)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.bootstrap = keys
	s.mu.Unlock()
	s.log.Info("admin keys reloaded", "admin_keys", len(keys))
	s.recheck(func(*live) (bool, string) { return true, reasonReload })
	return nil
}

// requireSomeAdmin refuses a server nobody could log in to.
func (s *Server) requireSomeAdmin() error {
	if len(s.bootstrap) > 0 {
		return nil
	}
	return checkAdminExists(s.store)
}

func checkAdminExists(st *storage.Store) error {
	members, err := st.Members()
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Role == model.RoleAdmin && len(m.SSHKeys) > 0 {
			return nil
		}
	}
	return ErrNoAdmin
}
