package storage

import (
	"errors"
	"github.com/keyrack/keyrack/clock"
	"slices"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

const (
	sshKeyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMdLd7Xn4RjRqmhCzLvfZ5q3kC6nP8Qe0N5FJ8bKp0Ru"
	sshKeyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFBnmqOhKcrgJw7uHw6VFUDgPLd8iGCdzrjsGxgksKEE"
)

func TestAddMemberNormalisesAndAudits(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		m, err := s.AddMember("tester", " Ada@Example.com ", "Admin", []string{sshKeyA + " ada@laptop", sshKeyA})
		if err != nil {
			t.Fatal(err)
		}
		if m.Email != "ada@example.com" || m.Role != model.RoleAdmin || !slices.Equal(m.SSHKeys, []string{sshKeyA}) || m.AddedAt.IsZero() {
			t.Fatalf("member %+v", m)
		}
		got, found, err := s.MemberBySSHKey(sshKeyA + " other comment")
		if err != nil || !found || got.Email != "ada@example.com" {
			t.Fatalf("MemberBySSHKey = %+v, %v, %v", got, found, err)
		}
		audit, _ := s.Audit(1)
		if audit[0].Action != model.ActionMemberAdd || !strings.Contains(audit[0].Detail, "ada@example.com as admin with SSH key SHA256:") {
			t.Fatalf("audit %+v", audit[0])
		}
	})
}

func TestBadMemberInputIsRefusedAndNothingChanges(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		if _, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{sshKeyA}); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Members()
		audit, _ := s.Audit(0)
		for _, tc := range []struct {
			name string
			op   func() error
			want string
		}{
			{"invalid email", func() error { _, err := s.AddMember("t", "ada@", model.RoleAdmin, nil); return err }, "invalid email address"},
			{"display name", func() error { _, err := s.AddMember("t", "Ada <x@example.com>", model.RoleAdmin, nil); return err }, "invalid email address"},
			{"duplicate", func() error { _, err := s.AddMember("t", "ADA@example.com", model.RoleFinance, nil); return err }, "already exists"},
			{"unknown role", func() error { _, err := s.AddMember("t", "bob@example.com", "owner", nil); return err }, "unknown role"},
			{"empty role", func() error { _, err := s.AddMember("t", "bob@example.com", "", nil); return err }, "unknown role"},
			{"invalid SSH key", func() error {
				_, err := s.AddMember("t", "bob@example.com", model.RoleAdmin, []string{"ssh-ed25519 AAAA"})
				return err
			}, "invalid SSH public key"},
			{"key of another member", func() error {
				_, err := s.AddMember("t", "bob@example.com", model.RoleAdmin, []string{sshKeyA})
				return err
			}, "already belongs to ada@example.com"},
			{"add key to nobody", func() error { _, err := s.AddMemberSSHKey("t", "bob@example.com", sshKeyB); return err }, "no member bob@example.com"},
			{"add key twice", func() error { _, err := s.AddMemberSSHKey("t", "ada@example.com", sshKeyA); return err }, "already belongs to ada@example.com"},
			{"add bad key", func() error { _, err := s.AddMemberSSHKey("t", "ada@example.com", "hello"); return err }, "invalid SSH public key"},
			{"remove nobody", func() error { return s.RemoveMember("t", "bob@example.com") }, "no member bob@example.com"},
			{"remove invalid", func() error { return s.RemoveMember("t", "bob") }, "invalid email address"},
		} {
			err := tc.op()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
			}
		}
		after, _ := s.Members()
		if len(after) != len(before) || !slices.Equal(after[0].SSHKeys, before[0].SSHKeys) {
			t.Errorf("members changed: %+v → %+v", before, after)
		}
		if now, _ := s.Audit(0); len(now) != len(audit) {
			t.Errorf("%d audit records written by refused operations", len(now)-len(audit))
		}
		_, err := s.AddMember("t", "ada@example.com", model.RoleAdmin, nil)
		if !errors.Is(err, ErrExists) {
			t.Errorf("duplicate error %v does not carry code %s", err, ErrExists.Code)
		}
	})
}

func TestAddSSHKeyAndRemoveMember(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		if _, err := s.AddMember("tester", "fin@example.com", model.RoleFinance, nil); err != nil {
			t.Fatal(err)
		}
		m, err := s.AddMemberSSHKey("tester", "FIN@example.com", sshKeyB)
		if err != nil || !slices.Equal(m.SSHKeys, []string{sshKeyB}) {
			t.Fatalf("AddMemberSSHKey = %+v, %v", m, err)
		}
		if err := s.RemoveMember("tester", "fin@example.com"); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.Members(); len(ms) != 0 {
			t.Fatalf("members after remove: %+v", ms)
		}
		if _, found, _ := s.MemberBySSHKey(sshKeyB); found {
			t.Fatal("a removed member's key still names them")
		}
		audit, _ := s.Audit(2)
		if audit[0].Action != model.ActionMemberRemove || audit[1].Action != model.ActionMemberSSHKey {
			t.Fatalf("audit %+v", audit)
		}
	})
}
