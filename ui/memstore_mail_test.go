package ui

import (
	"fmt"
	"slices"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// The members and outbox of memStore follow storage's rules closely
// enough for the views; the flows that must match storage exactly run on
// the real one.

func (s *memStore) Members() ([]model.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.Member(nil), s.members...), nil
}

func (s *memStore) AddMember(_ string, email string, role model.Role, sshKeys []string) (model.Member, error) {
	m, err := model.NewMember(email, role, sshKeys)
	if err != nil {
		return model.Member{}, err
	}
	email = m.Email
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.members, func(o model.Member) bool { return o.Email == email }) {
		return model.Member{}, fmt.Errorf("member %s already exists", email)
	}
	s.members = append(s.members, m)
	s.publish(storage.Event{Action: model.ActionMemberAdd, Member: email})
	return m, nil
}

func (s *memStore) SetMemberRole(_ string, email string, role model.Role) (model.Member, error) {
	return s.editMember(email, model.ActionMemberRole, func(m *model.Member) error {
		m.Role = role
		return nil
	})
}

func (s *memStore) RemoveMemberSSHKey(_ string, email, fingerprint string) (model.Member, error) {
	return s.editMember(email, model.ActionMemberKeyDel, func(m *model.Member) error {
		i := slices.IndexFunc(m.SSHKeys, func(k string) bool { return model.Fingerprint(k) == fingerprint })
		if i < 0 {
			return fmt.Errorf("%s has no SSH key %s", email, fingerprint)
		}
		m.SSHKeys = slices.Delete(m.SSHKeys, i, i+1)
		return nil
	})
}

// editMember changes one member and tells the subscribers.
func (s *memStore) editMember(email, action string, change func(*model.Member) error) (model.Member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.members {
		if s.members[i].Email == email {
			if err := change(&s.members[i]); err != nil {
				return model.Member{}, err
			}
			s.publish(storage.Event{Action: action, Member: email})
			return s.members[i], nil
		}
	}
	return model.Member{}, fmt.Errorf("no member %s", email)
}

func (s *memStore) AddMemberSSHKey(_ string, email, sshKey string) (model.Member, error) {
	_, norm, err := model.ParseSSHKey(sshKey)
	if err != nil {
		return model.Member{}, err
	}
	return s.editMember(email, model.ActionMemberSSHKey, func(m *model.Member) error {
		m.SSHKeys = append(m.SSHKeys, norm)
		return nil
	})
}

func (s *memStore) RemoveMember(_ string, email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.members, func(o model.Member) bool { return o.Email == email })
	if i < 0 {
		return fmt.Errorf("no member %s", email)
	}
	s.members = slices.Delete(s.members, i, i+1)
	s.publish(storage.Event{Action: model.ActionMemberRemove, Member: email})
	return nil
}

func (s *memStore) Outbox(limit int) ([]model.Notification, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.outbox
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return append([]model.Notification(nil), out...), nil
}

func (s *memStore) RetryMailNow() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retries++
	return nil
}
