package storage

import (
	"errors"
	"github.com/keyrack/keyrack/clock"
	"slices"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func TestSetMemberRoleAuditsOnlyAChange(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		if _, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{sshKeyA}); err != nil {
			t.Fatal(err)
		}
		m, err := s.SetMemberRole("bob@example.com (SHA256:x)", "ADA@example.com", "manager")
		if err != nil || m.Role != model.RoleManager {
			t.Fatalf("SetMemberRole = %+v, %v", m, err)
		}
		audit, _ := s.Audit(1)
		if a := audit[0]; a.Action != model.ActionMemberRole || a.Detail != "ada@example.com admin → manager" || a.Actor != "bob@example.com (SHA256:x)" {
			t.Fatalf("audit %+v", a)
		}
		if _, err := s.SetMemberRole("tester", "ada@example.com", model.RoleManager); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Audit(0); len(again) != int(audit[0].Seq) {
			t.Errorf("setting the same role again wrote %d audit records", len(again)-int(audit[0].Seq))
		}
		for _, tc := range []struct{ email, role, want string }{
			{"bob@example.com", "admin", "no member bob@example.com"},
			{"ada@example.com", "owner", "unknown role"},
			{"ada", "admin", "invalid email address"},
		} {
			if _, err := s.SetMemberRole("t", tc.email, model.Role(tc.role)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("SetMemberRole(%s, %s) error %v, want %q", tc.email, tc.role, err, tc.want)
			}
		}
		if ms, _ := s.Members(); ms[0].Role != model.RoleManager {
			t.Errorf("refused calls changed the role to %s", ms[0].Role)
		}
	})
}

func TestRemoveMemberSSHKeyByFingerprint(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		m, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{sshKeyA, sshKeyB})
		if err != nil {
			t.Fatal(err)
		}
		fpA := m.Fingerprints()[0]
		if _, err := s.RemoveMemberSSHKey("t", "ada@example.com", "SHA256:nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown fingerprint: %v", err)
		}
		m, err = s.RemoveMemberSSHKey("tester", "ada@example.com", strings.TrimPrefix(fpA, "SHA256:"))
		if err != nil || !slices.Equal(m.SSHKeys, []string{sshKeyB}) {
			t.Fatalf("RemoveMemberSSHKey = %+v, %v", m, err)
		}
		if _, found, _ := s.MemberBySSHKey(sshKeyA); found {
			t.Error("a removed key still names its member")
		}
		audit, _ := s.Audit(1)
		if a := audit[0]; a.Action != model.ActionMemberKeyDel || a.Detail != "ada@example.com "+fpA {
			t.Errorf("audit %+v", a)
		}
	})
}

func TestMemberKeysKeepTheirOptionsAndMatchByKey(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		line := `from="10.0.0.0/8",no-pty ` + sshKeyA
		m, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{line + " ada@laptop"})
		if err != nil || !slices.Equal(m.SSHKeys, []string{line}) {
			t.Fatalf("AddMember = %+v, %v", m, err)
		}
		got, found, err := s.MemberBySSHKey(sshKeyA)
		if err != nil || !found || got.Email != "ada@example.com" {
			t.Fatalf("the bare key does not find its member: %+v, %v, %v", got, found, err)
		}
		if _, err := s.AddMember("t", "bob@example.com", model.RoleAdmin, []string{"no-pty " + sshKeyA}); !errors.Is(err, ErrExists) {
			t.Errorf("the same key with other options went to a second member: %v", err)
		}
		if _, err := s.AddMemberSSHKey("t", "ada@example.com", `command="/bin/sh" `+sshKeyB); err == nil || !strings.Contains(err.Error(), `"command"`) {
			t.Errorf("an unsupported option was accepted: %v", err)
		}
	})
}
