package model

import (
	"strings"
	"testing"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMdLd7Xn4RjRqmhCzLvfZ5q3kC6nP8Qe0N5FJ8bKp0Ru"

func TestParseEmailLowercasesAndRefusesDecorations(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Admin@Example.COM", "admin@example.com"},
		{"  ops@example.com ", "ops@example.com"},
		{"", ""},
		{"not an address", ""},
		{"Ada <ada@example.com>", ""},
		{"<ada@example.com>", ""},
		{"ada@example.com, bob@example.com", ""},
		{"ada@exa\r\nmple.com", ""},
		{strings.Repeat("a", 250) + "@example.com", ""},
		{"\u009b31m@example.com", ""},          // C1 CSI: an escape sequence on many terminals
		{"ada\u202e@example.com", ""},          // bidi override
		{"ada@exa\u200bmple.com", ""},          // zero-width space
		{"zoë@example.com", "zoë@example.com"}, // printable non-ASCII stays allowed
	} {
		got, err := ParseEmail(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseEmail(%q) = %q, want an error", tc.in, got)
			} else if !strings.Contains(err.Error(), "invalid email address") {
				t.Errorf("ParseEmail(%q) error %q does not say what is wrong", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRoleAcceptsOnlyTheThreeRoles(t *testing.T) {
	for in, want := range map[string]Role{"admin": RoleAdmin, " Manager": RoleManager, "FINANCE": RoleFinance} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "owner", "admins"} {
		if _, err := ParseRole(in); err == nil || !strings.Contains(err.Error(), "unknown role") {
			t.Errorf("ParseRole(%q) error = %v", in, err)
		}
	}
}

func TestParseSSHKeyNormalisesAndFingerprints(t *testing.T) {
	_, norm, err := ParseSSHKey(testKey + " ada@laptop\n")
	if err != nil {
		t.Fatal(err)
	}
	if norm != testKey {
		t.Errorf("normalised key = %q, want %q (no comment)", norm, testKey)
	}
	fp := Member{SSHKeys: []string{norm}}.Fingerprints()
	if len(fp) != 1 || !strings.HasPrefix(fp[0], "SHA256:") {
		t.Errorf("fingerprints = %v", fp)
	}
	for _, bad := range []string{"", "ssh-ed25519 AAAA", "hello", testKey + "\n" + testKey} {
		if _, _, err := ParseSSHKey(bad); err == nil || !strings.Contains(err.Error(), "invalid SSH public key") {
			t.Errorf("ParseSSHKey(%q) error = %v", bad, err)
		}
	}
}

func TestNewMemberNormalisesAndRefuses(t *testing.T) {
	m, err := NewMember(" Alice@Example.com ", "Admin", []string{testKey + " alice@laptop", testKey})
	if err != nil {
		t.Fatal(err)
	}
	if m.Email != "alice@example.com" || m.Role != RoleAdmin || len(m.SSHKeys) != 1 {
		t.Fatalf("member = %+v", m)
	}
	for _, bad := range []struct {
		email string
		role  Role
		keys  []string
	}{{"nope", RoleAdmin, nil}, {"a@b.c", "owner", nil}, {"a@b.c", RoleFinance, []string{"hello"}}} {
		if _, err := NewMember(bad.email, bad.role, bad.keys); err == nil {
			t.Errorf("NewMember(%q, %q, %q) accepted", bad.email, bad.role, bad.keys)
		}
	}
}
