package storage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// SetMemberRole changes a member's role. An admin who is demoted can no
// longer log in over SSH, and `serve` closes their open sessions. Setting
// the role a member already has changes nothing and records nothing.
func (s *Store) SetMemberRole(actor, email string, role model.Role) (model.Member, error) {
	r, err := model.ParseRole(string(role))
	if err != nil {
		return model.Member{}, fmt.Errorf("set role: %w", err)
	}
	return s.editMember("set role", email, func(w *wtx, m *model.Member) error {
		if m.Role == r {
			return nil
		}
		old := m.Role
		m.Role = r
		return w.auditMember(actor, model.ActionMemberRole, m.Email, fmt.Sprintf("%s %s → %s", m.Email, old, r))
	})
}

// AddMemberSSHKey adds an SSH public key (an authorized_keys line, options
// included) to a member. A key may belong to one member only.
func (s *Store) AddMemberSSHKey(actor, email, sshKey string) (model.Member, error) {
	k, err := model.ParseAuthorizedKey(sshKey)
	if err != nil {
		return model.Member{}, fmt.Errorf("add SSH key: %w", err)
	}
	return s.editMember("add SSH key", email, func(w *wtx, m *model.Member) error {
		if err := keyUnused(w.tx, k.Line); err != nil {
			return err
		}
		m.SSHKeys = append(m.SSHKeys, k.Line)
		return w.auditMember(actor, model.ActionMemberSSHKey, m.Email, fmt.Sprintf("%s %s", m.Email, k.Fingerprint()))
	})
}

// RemoveMemberSSHKey removes the member's key with the given SHA256
// fingerprint ("SHA256:" prefix optional). The key stops working at once,
// and `serve` closes the sessions opened with it.
func (s *Store) RemoveMemberSSHKey(actor, email, fingerprint string) (model.Member, error) {
	fp := "SHA256:" + strings.TrimPrefix(strings.TrimSpace(fingerprint), "SHA256:")
	return s.editMember("remove SSH key", email, func(w *wtx, m *model.Member) error {
		i := slices.Index(m.Fingerprints(), fp)
		if i < 0 {
			return coded(ErrNotFound, "%s has no SSH key %s", m.Email, model.Printable(fp))
		}
		m.SSHKeys = slices.Delete(m.SSHKeys, i, i+1)
		return w.auditMember(actor, model.ActionMemberKeyDel, m.Email, fmt.Sprintf("%s %s", m.Email, fp))
	})
}

// editMember reads a member, lets fn change it and audit the change, and
// writes it back, in one transaction.
func (s *Store) editMember(op, email string, fn func(w *wtx, m *model.Member) error) (model.Member, error) {
	addr, err := model.ParseEmail(email)
	if err != nil {
		return model.Member{}, fmt.Errorf("%s: %w", op, err)
	}
	var m model.Member
	err = s.update(func(w *wtx) error {
		var found bool
		m, found, err = getMember(w.tx, addr)
		if err != nil {
			return err
		}
		if !found {
			return coded(ErrNotFound, "no member %s", addr)
		}
		old := m
		old.SSHKeys = slices.Clone(m.SSHKeys) // fn may edit the list in place
		if err := fn(w, &m); err != nil {
			return err
		}
		return w.putMember(&old, &m)
	})
	if err != nil {
		return model.Member{}, fmt.Errorf("%s: %w", op, err)
	}
	return m, nil
}
