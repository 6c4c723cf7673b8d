package storage

import (
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
	"golang.org/x/crypto/ssh"
)

// Members returns every member, ordered by email.
func (s *Store) Members() ([]model.Member, error) {
	var out []model.Member
	err := s.read(func(tx kv.ReadTx) error {
		out = nil
		return tx.Scan(kv.Range{Bucket: string(bucketMembers)}, false, func(k, v []byte) error {
			var m model.Member
			if err := decodeJSON(k, v, &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	return out, nil
}

// MemberBySSHKey returns the member who owns a public key (authorized_keys
// form; options and comment ignored), for SSH login.
func (s *Store) MemberBySSHKey(authorizedKey string) (model.Member, bool, error) {
	pub, _, err := model.ParseSSHKey(authorizedKey)
	if err != nil {
		return model.Member{}, false, err
	}
	var m model.Member
	var found bool
	err = s.read(func(tx kv.ReadTx) error {
		m, found, err = ownerOf(tx, pub)
		return err
	})
	return m, found, err
}

// AddMember adds a member. email, role and SSH keys are validated here, so
// every caller gets the same rules. A key may belong to one member only, so
// that an SSH login names exactly one person.
func (s *Store) AddMember(actor, email string, role model.Role, sshKeys []string) (model.Member, error) {
	m, err := model.NewMember(email, role, sshKeys)
	if err != nil {
		return model.Member{}, fmt.Errorf("add member: %w", err)
	}
	err = s.update(func(w *wtx) error {
		_, found, err := getMember(w.tx, m.Email)
		if err != nil {
			return err
		}
		if found {
			return coded(ErrExists, "member %s already exists", m.Email)
		}
		for _, line := range m.SSHKeys {
			if err := keyUnused(w.tx, line); err != nil {
				return err
			}
		}
		m.AddedAt = w.now
		if err := w.putMember(nil, &m); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s as %s", m.Email, m.Role)
		if fps := m.Fingerprints(); len(fps) > 0 {
			detail += " with SSH key " + strings.Join(fps, ", ")
		}
		return w.auditMember(actor, model.ActionMemberAdd, m.Email, detail)
	})
	if err != nil {
		return model.Member{}, fmt.Errorf("add member: %w", err)
	}
	return m, nil
}

// keyUnused refuses a key some member already holds, with any options.
func keyUnused(tx kv.ReadTx, line string) error {
	pub, _, err := model.ParseSSHKey(line)
	if err != nil {
		return err
	}
	owner, found, err := ownerOf(tx, pub)
	if err != nil || !found {
		return err
	}
	return coded(ErrExists, "SSH key %s already belongs to %s", ssh.FingerprintSHA256(pub), owner.Email)
}

// RemoveMember removes a member; their SSH keys stop working at once. Mail
// already in the outbox still reaches them: it was addressed when it was
// written.
func (s *Store) RemoveMember(actor, email string) error {
	addr, err := model.ParseEmail(email)
	if err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	err = s.update(func(w *wtx) error {
		m, found, err := getMember(w.tx, addr)
		if err != nil {
			return err
		}
		if !found {
			return coded(ErrNotFound, "no member %s", addr)
		}
		if err := w.putMember(&m, nil); err != nil {
			return err
		}
		return w.auditMember(actor, model.ActionMemberRemove, addr, fmt.Sprintf("%s (%s)", addr, m.Role))
	})
	if err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}
