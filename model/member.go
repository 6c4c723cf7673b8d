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
	SSHKeys []string  `json:"ssh_keys,omitempty"` // authorized_keys lines: options, type, base64; no comment
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

// AuthorizedKey returns the member's line for the public key pub.
func (m Member) AuthorizedKey(pub ssh.PublicKey) (AuthorizedKey, bool) {
	for _, line := range m.SSHKeys {
		if k, err := ParseAuthorizedKey(line); err == nil && k.SameKey(pub) {
			return k, true
		}
	}
	return AuthorizedKey{}, false
}

// Fingerprints returns the SHA256 fingerprints of the member's SSH keys.
func (m Member) Fingerprints() []string {
	out := make([]string, len(m.SSHKeys))
	for i, k := range m.SSHKeys {
		out[i] = Fingerprint(k)
	}
	return out
}

// Fingerprint returns the SHA256 fingerprint of a stored key, or "invalid key".
func Fingerprint(authorizedKey string) string {
	pub, _, err := ParseSSHKey(authorizedKey)
	if err != nil {
		return "invalid key"
	}
	return ssh.FingerprintSHA256(pub)
}

// NewMember validates a member's email, role and SSH keys (a key given
// twice is kept once, with the options of its first line) and returns the member, keys normalised.
func NewMember(email string, role Role, sshKeys []string) (Member, error) {
	email, err := ParseEmail(email)
	if err != nil {
		return Member{}, err
	}
	if role, err = ParseRole(string(role)); err != nil {
		return Member{}, err
	}
	m := Member{Email: email, Role: role}
	var seen []AuthorizedKey
	for _, line := range sshKeys {
		k, err := ParseAuthorizedKey(line)
		if err != nil {
			return Member{}, err
		}
		if !slices.ContainsFunc(seen, func(o AuthorizedKey) bool { return o.SameKey(k.Key) }) {
			seen = append(seen, k)
			m.SSHKeys = append(m.SSHKeys, k.Line)
		}
	}
	return m, nil
}
