package model

import "regexp"

// credentialPattern finds what looks like a credential in text: a kr_
// token or a UUID (an imported Lago token), not inside a longer word.
var credentialPattern = regexp.MustCompile(`(?:^|[^0-9A-Za-z_])(kr_[0-9A-Za-z]{36}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:[^0-9A-Za-z_-]|$)`)

// FoundCredential is a credential found in text.
type FoundCredential struct {
	Token Token
	Lago  bool // a UUID: any UUID has this form, so only a stored one counts
}

// FindCredentials returns the kr_ tokens whose checksum holds and the
// UUIDs in line, in order. A mistyped or truncated kr_ token is not one.
func FindCredentials(line []byte) []FoundCredential {
	var out []FoundCredential
	for _, m := range credentialPattern.FindAllSubmatchIndex(line, -1) {
		s := string(line[m[2]:m[3]])
		if tok, err := ParseToken(s); err == nil {
			out = append(out, FoundCredential{Token: tok})
		} else if tok, err := ParseLagoToken(s); err == nil {
			out = append(out, FoundCredential{Token: tok, Lago: true})
		}
	}
	return out
}
