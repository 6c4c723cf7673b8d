package model

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// AuthorizedKey is one authorized_keys line: a public key and the options
// that limit where and how it may log in. Options keyrack cannot honour
// are refused when the line is parsed, never dropped.
type AuthorizedKey struct {
	Key     ssh.PublicKey
	From    []string  // from="…" patterns; empty: from anywhere
	NoPTY   bool      // no-pty or restrict: commands only, no dashboard
	Expires time.Time // expiry-time="…"; zero: never
	// Line is the normalised line: options as given, type and base64,
	// without the comment. It is what storage keeps.
	Line string
}

// harmless are options that ask for what keyrack never offers anyway
// (forwarding, user rc files): honoured by construction.
var harmless = map[string]bool{
	"no-agent-forwarding": true, "no-port-forwarding": true,
	"no-x11-forwarding": true, "no-user-rc": true,
}

// ParseSSHKey parses one public key in authorized_keys form, options
// included, and returns it normalised (see AuthorizedKey.Line).
func ParseSSHKey(s string) (ssh.PublicKey, string, error) {
	k, err := ParseAuthorizedKey(s)
	return k.Key, k.Line, err
}

// ParseAuthorizedKey parses one authorized_keys line. Options other than
// from, no-pty, restrict, expiry-time and the forwarding refusals are an
// error naming the option.
func ParseAuthorizedKey(s string) (AuthorizedKey, error) {
	pub, _, opts, rest, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(s)))
	if err != nil {
		return AuthorizedKey{}, fmt.Errorf("invalid SSH public key: %w", err)
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return AuthorizedKey{}, errors.New("invalid SSH public key: more than one key given")
	}
	k := AuthorizedKey{Key: pub}
	for _, o := range opts {
		if err := k.applyOption(o); err != nil {
			return AuthorizedKey{}, fmt.Errorf("SSH key %s: %w", ssh.FingerprintSHA256(pub), err)
		}
	}
	k.Line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	if len(opts) > 0 {
		k.Line = strings.Join(opts, ",") + " " + k.Line
	}
	return k, nil
}

func (k *AuthorizedKey) applyOption(o string) error {
	name, value, hasValue := strings.Cut(o, "=")
	name = strings.ToLower(name)
	if hasValue {
		v, err := unquoteOption(name, value)
		if err != nil {
			return err
		}
		value = v
	}
	switch {
	case name == "from" && hasValue:
		pats, err := parseFromPatterns(value)
		k.From = append(k.From, pats...)
		return err
	case name == "expiry-time" && hasValue:
		t, err := parseExpiryTime(value)
		if !k.Expires.IsZero() && k.Expires.Before(t) {
			t = k.Expires // the earlier of two expiries wins
		}
		k.Expires = t
		return err
	case (name == "no-pty" || name == "restrict") && !hasValue:
		k.NoPTY = true
		return nil
	case harmless[name] && !hasValue:
		return nil
	}
	return fmt.Errorf("option %q is not supported (keyrack honours from=, no-pty, restrict and expiry-time=)", Printable(name))
}

func unquoteOption(name, v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", fmt.Errorf("option %s: the value must be in double quotes", Printable(name))
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}

// parseExpiryTime reads OpenSSH's YYYYMMDD[HHMM[SS]][Z]: the server's
// local time unless it ends in Z (UTC).
func parseExpiryTime(v string) (time.Time, error) {
	loc := time.Local
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		v, loc = s, time.UTC
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	if layout, ok := layouts[len(v)]; ok {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("option expiry-time %q: want YYYYMMDD[HHMM[SS]][Z]", Printable(v))
}

// ExpiredAt reports whether the key's expiry-time has passed at now.
func (k AuthorizedKey) ExpiredAt(now time.Time) bool {
	return !k.Expires.IsZero() && !now.Before(k.Expires)
}

// Fingerprint returns the key's SHA256 fingerprint.
func (k AuthorizedKey) Fingerprint() string { return ssh.FingerprintSHA256(k.Key) }

// SameKey reports whether the line holds the public key pub, whatever its
// options.
func (k AuthorizedKey) SameKey(pub ssh.PublicKey) bool {
	return k.Key != nil && pub != nil && string(k.Key.Marshal()) == string(pub.Marshal())
}
