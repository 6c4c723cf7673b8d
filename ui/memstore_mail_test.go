package ui

import (
	"fmt"
	"slices"

	"github.com/keyrack/keyrack/model"
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
	return m, nil
}

func (s *memStore) AddMemberSSHKey(_ string, email, sshKey string) (model.Member, error) {
	_, norm, err := model.ParseSSHKey(sshKey)
	if err != nil {
		return model.Member{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.members {
		if s.members[i].Email == email {
			s.members[i].SSHKeys = append(s.members[i].SSHKeys, norm)
			return s.members[i], nil
		}
	}
	return model.Member{}, fmt.Errorf("no member %s", email)
}

func (s *memStore) RemoveMember(_ string, email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.members, func(o model.Member) bool { return o.Email == email })
	if i < 0 {
		return fmt.Errorf("no member %s", email)
	}
	s.members = slices.Delete(s.members, i, i+1)
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

func (s *memStore) Undelivered() ([]model.Notification, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Notification
	for _, n := range slices.Backward(s.outbox) {
		if n.State != model.MailSent {
			out = append(out, n)
		}
	}
	return out, nil
}

func (s *memStore) RetryMailNow() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retries++
	return nil
}
