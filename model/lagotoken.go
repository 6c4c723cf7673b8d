package model

import (
	"errors"
	"strings"
)

// lagoTokenLen is the length of a Lago API key: a UUID, 8-4-4-4-12 hex digits.
const lagoTokenLen = 36

// ErrLagoToken says an imported Lago token is not a UUID.
var ErrLagoToken = errors.New("Lago token is not a UUID (8-4-4-4-12 hexadecimal digits)")

// ParseLagoToken accepts a token imported from Lago, exactly as Lago issued
// it. A Lago token has no checksum, so only its form is checked; like every
// token it is then looked up by its SHA-256.
func ParseLagoToken(s string) (Token, error) {
	if len(s) != lagoTokenLen {
		return Token{}, ErrLagoToken
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return Token{}, ErrLagoToken
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return Token{}, ErrLagoToken
		}
	}
	return newToken(s), nil
}

// IsLago reports whether t is a token imported from Lago (ParseLagoToken's
// form), not a kr_ token.
func (t Token) IsLago() bool {
	s := t.Reveal()
	return len(s) == lagoTokenLen && !strings.HasPrefix(s, tokenPrefix) && s[8] == '-'
}

// ParseCredential accepts what may authenticate: a kr_ token, checked with
// its checksum, or a token imported from Lago (a UUID), which has none.
func ParseCredential(s string) (Token, error) {
	if !strings.HasPrefix(s, tokenPrefix) && len(s) == lagoTokenLen {
		return ParseLagoToken(s)
	}
	return ParseToken(s)
}
