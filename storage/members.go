package storage

import (
	"fmt"
	"slices"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// Members returns every member, ordered by email.
func (s *Store) Members() ([]model.Member, error) {
	var out []model.Member
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = members(tx)
		return err
	})
	return out, err
}

func members(tx *bolt.Tx) ([]model.Member, error) {
	var out []model.Member
	b := tx.Bucket(bucketMembers)
	err := b.ForEach(func(k, _ []byte) error {
		var m model.Member
		if _, err := getJSON(b, k, &m); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// AddMember adds a member. email, role and SSH keys are validated here, so
// every caller gets the same rules.
func (s *Store) AddMember(actor, email string, role model.Role, sshKeys []string) (model.Member, error) {
	m, err := newMember(email, role, sshKeys)
	if err != nil {
		return model.Member{}, fmt.Errorf("add member: %w", err)
	}
	err = s.update(func(w *wtx) error {
		b := w.tx.Bucket(bucketMembers)
		if b.Get([]byte(m.Email)) != nil {
			return coded(ErrExists, "member %s already exists", m.Email)
		}
		m.AddedAt = w.now
		if err := putJSON(b, []byte(m.Email), m); err != nil {
			return err
		}
		return w.audit(actor, model.ActionMemberAdd, nil, fmt.Sprintf("%s as %s", m.Email, m.Role))
	})
	if err != nil {
		return model.Member{}, fmt.Errorf("add member: %w", err)
	}
	return m, nil
}

func newMember(email string, role model.Role, sshKeys []string) (model.Member, error) {
	email, err := model.ParseEmail(email)
	if err != nil {
		return model.Member{}, err
	}
	if role, err = model.ParseRole(string(role)); err != nil {
		return model.Member{}, err
	}
	m := model.Member{Email: email, Role: role}
	for _, k := range sshKeys {
		_, norm, err := model.ParseSSHKey(k)
		if err != nil {
			return model.Member{}, err
		}
		if !slices.Contains(m.SSHKeys, norm) {
			m.SSHKeys = append(m.SSHKeys, norm)
		}
	}
	return m, nil
}

// AddMemberSSHKey adds an SSH public key to a member.
func (s *Store) AddMemberSSHKey(actor, email, sshKey string) (model.Member, error) {
	_, norm, err := model.ParseSSHKey(sshKey)
	if err != nil {
		return model.Member{}, fmt.Errorf("add SSH key: %w", err)
	}
	var m model.Member
	err = s.update(func(w *wtx) error {
		b := w.tx.Bucket(bucketMembers)
		addr, err := model.ParseEmail(email)
		if err != nil {
			return err
		}
		found, err := getJSON(b, []byte(addr), &m)
		if err != nil {
			return err
		}
		if !found {
			return coded(ErrNotFound, "no member %s", addr)
		}
		if slices.Contains(m.SSHKeys, norm) {
			return coded(ErrExists, "%s already has key %s", addr, model.Fingerprint(norm))
		}
		m.SSHKeys = append(m.SSHKeys, norm)
		if err := putJSON(b, []byte(addr), m); err != nil {
			return err
		}
		return w.audit(actor, model.ActionMemberSSHKey, nil, fmt.Sprintf("%s %s", addr, model.Fingerprint(norm)))
	})
	if err != nil {
		return model.Member{}, fmt.Errorf("add SSH key: %w", err)
	}
	return m, nil
}

// RemoveMember removes a member; their SSH keys stop working at once.
func (s *Store) RemoveMember(actor, email string) error {
	err := s.update(func(w *wtx) error {
		addr, err := model.ParseEmail(email)
		if err != nil {
			return err
		}
		b := w.tx.Bucket(bucketMembers)
		if b.Get([]byte(addr)) == nil {
			return coded(ErrNotFound, "no member %s", addr)
		}
		if err := b.Delete([]byte(addr)); err != nil {
			return err
		}
		return w.audit(actor, model.ActionMemberRemove, nil, addr)
	})
	if err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}
