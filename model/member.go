package model

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/ssh"
)

// Role is a member's role in the organization.
type Role string

// The roles Lago knows. Only admins receive mail and may log in over SSH.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleFinance Role = "finance"
)

// ParseRole accepts admin, manager or finance.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleManager, RoleFinance:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want admin, manager or finance)", Printable(s))
}

// Member is a person of the organization.
type Member struct {
	Email   string    `json:"email"`
	Role    Role      `json:"role"`
	SSHKeys []string  `json:"ssh_keys,omitempty"` // authorized_keys form, without comment
	AddedAt time.Time `json:"added_at"`
}

// maxEmailLen is the longest address SMTP carries (RFC 5321 path limit).
const maxEmailLen = 254

// ParseEmail validates a bare address (no display name, no angle brackets)
// and lower-cases it. net/mail accepts any non-ASCII rune in an atom, C1
// controls and bidi overrides included; the address is printed in terminals
// and mail headers, so only printable characters are let through.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("invalid email address: empty")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || len(s) > maxEmailLen || strings.IndexFunc(s, notPrintable) >= 0 {
		return "", fmt.Errorf("invalid email address %q: want a bare address like admin@example.com", Printable(s))
	}
	return strings.ToLower(a.Address), nil
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }

// Fingerprints returns the SHA256 fingerprints of the member's SSH keys.
func (m Member) Fingerprints() []string {
	out := make([]string, len(m.SSHKeys))
	for i, k := range m.SSHKeys {
		out[i] = Fingerprint(k)
	}
	return out
}

// ParseSSHKey parses one public key in authorized_keys form and returns it
// normalised (type and base64, no comment).
func ParseSSHKey(s string) (ssh.PublicKey, string, error) {
	pub, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(s)))
	if err != nil {
		return nil, "", fmt.Errorf("invalid SSH public key: %w", err)
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return nil, "", fmt.Errorf("invalid SSH public key: more than one key given")
	}
	return pub, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))), nil
}

// Fingerprint returns the SHA256 fingerprint of a stored key, or "invalid key".
func Fingerprint(authorizedKey string) string {
	pub, _, err := ParseSSHKey(authorizedKey)
	if err != nil {
		return "invalid key"
	}
	return ssh.FingerprintSHA256(pub)
}

// NewMember validates a member's email, role and SSH keys (duplicates
// among the keys are dropped) and returns the member, keys normalised.
func NewMember(email string, role Role, sshKeys []string) (Member, error) {
	email, err := ParseEmail(email)
	if err != nil {
		return Member{}, err
	}
	if role, err = ParseRole(string(role)); err != nil {
		return Member{}, err
	}
	m := Member{Email: email, Role: role}
	for _, k := range sshKeys {
		_, norm, err := ParseSSHKey(k)
		if err != nil {
			return Member{}, err
		}
		if !slices.Contains(m.SSHKeys, norm) {
			m.SSHKeys = append(m.SSHKeys, norm)
		}
	}
	return m, nil
}
