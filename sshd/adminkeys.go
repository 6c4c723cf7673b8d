package sshd

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	gossh "golang.org/x/crypto/ssh"
)

// ErrNoAdmin is returned by New when nobody could log in: no member with
// role admin has an SSH key and no bootstrap key was given.
var ErrNoAdmin = errors.New("no admin can log in: give a bootstrap key with --admin-key KEY|FILE " +
	"(or KEYRACK_ADMIN_KEYS), or add one with `keyrack members add EMAIL --role admin --ssh-key KEY`")

// ReadAdminKeys expands --admin-key values: each is a public key in
// authorized_keys form or the path of a file of such lines. Blank lines
// and # comments are skipped.
func ReadAdminKeys(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		if info, err := os.Stat(v); err == nil && info.Mode().IsRegular() {
			b, err := os.ReadFile(v)
			if err != nil {
				return nil, fmt.Errorf("--admin-key: %w", err)
			}
			out = append(out, keyLines(string(b))...)
			continue
		}
		if _, _, err := model.ParseSSHKey(v); err != nil {
			return nil, fmt.Errorf("--admin-key %q: neither a readable file nor an SSH public key", model.Printable(v))
		}
		out = append(out, v)
	}
	return out, nil
}

// SplitAdminKeys splits KEYRACK_ADMIN_KEYS, whose keys are separated by
// newlines or commas.
func SplitAdminKeys(env string) []string {
	return keyLines(strings.ReplaceAll(env, ",", "\n"))
}

func keyLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// parseAdminKeys parses the bootstrap keys; a bad one is an error, so that
// a typo does not silently lock the admin out.
func parseAdminKeys(lines []string) ([]gossh.PublicKey, error) {
	var out []gossh.PublicKey
	for i, line := range lines {
		pub, _, err := model.ParseSSHKey(line)
		if err != nil {
			return nil, fmt.Errorf("admin key %d: %w", i+1, err)
		}
		out = append(out, pub)
	}
	return out, nil
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
