// Package model holds keyrack's domain: keys, tokens, permissions, members,
// notifications and the rules that validate them. It does no I/O and never
// reads the clock; time and randomness are passed in.
package model

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unsafe"
)

const (
	tokenPrefix    = "kr_"
	tokenBodyLen   = 30
	tokenSumLen    = 6
	tokenLen       = len(tokenPrefix) + tokenBodyLen + tokenSumLen
	base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	maskedPrefix   = "kr_••••••••"
	lagoMasked     = "••••••••" // a Lago token's mask: its UUID has no kr_
)

// Errors returned by ParseToken. Each names one way a token can be malformed.
var (
	ErrTokenPrefix   = errors.New("token does not start with kr_")
	ErrTokenLength   = fmt.Errorf("token is not %d characters long", tokenLen)
	ErrTokenChar     = errors.New("token contains a character outside [0-9A-Za-z]")
	ErrTokenChecksum = errors.New("token checksum does not match (mistyped or truncated)")
)

// Token is an API key's secret. Its String, Format, GoString and JSON forms
// print only the masked form, so a token cannot reach a log, an error or a
// mail by accident; Reveal returns the secret when it is meant to be shown.
// The secret sits behind a pointer because fmt cannot call Format on an
// unexported field: a struct holding a Token in one would otherwise print
// the secret, whereas a nested pointer prints as an address. Compare tokens
// with Reveal, not ==.
type Token struct{ secret *string }

func newToken(s string) Token { return Token{secret: &s} }

// GenerateToken draws a new token from r (crypto/rand in production).
func GenerateToken(r io.Reader) (Token, error) {
	body, err := randomString(r, base62Alphabet, tokenBodyLen)
	if err != nil {
		return Token{}, fmt.Errorf("generate token: %w", err)
	}
	return newToken(tokenPrefix + body + checksum(body)), nil
}

// ParseToken checks the format and checksum of s without any lookup. It
// runs on every authenticated request, so it allocates only the Token.
func ParseToken(s string) (Token, error) {
	if len(s) < len(tokenPrefix) || s[:len(tokenPrefix)] != tokenPrefix {
		return Token{}, ErrTokenPrefix
	}
	if len(s) != tokenLen {
		return Token{}, ErrTokenLength
	}
	for i := len(tokenPrefix); i < len(s); i++ {
		if base62Value[s[i]] < 0 {
			return Token{}, ErrTokenChar
		}
	}
	var sum uint64
	for i := len(tokenPrefix) + tokenBodyLen; i < len(s); i++ {
		sum = sum*62 + uint64(base62Value[s[i]])
	}
	if sum != uint64(crc32IEEE(s[len(tokenPrefix):len(tokenPrefix)+tokenBodyLen])) {
		return Token{}, ErrTokenChecksum
	}
	return newToken(s), nil
}

// Reveal returns the secret. Call it only where the user asked to see it.
func (t Token) Reveal() string {
	if t.secret == nil {
		return ""
	}
	return *t.secret
}

// IsZero reports whether t holds no token.
func (t Token) IsZero() bool { return t.Reveal() == "" }

// Last4 returns the last four characters, the part the masked form shows.
func (t Token) Last4() string {
	s := t.Reveal()
	if len(s) < 4 {
		return ""
	}
	return s[len(s)-4:]
}

// Masked returns the form shown in tables: kr_•••••••• and the last four,
// or for a Lago token •••••••• and the last four.
func (t Token) Masked() string {
	if t.IsLago() {
		return MaskLago(t.Last4())
	}
	return Mask(t.Last4())
}

// Hash returns the SHA-256 of the token, the key of the lookup index.
func (t Token) Hash() [32]byte {
	s := t.Reveal()
	if len(s) <= 64 { // hash from the stack: no allocation on the auth path (kr_ and Lago tokens)
		var buf [64]byte
		n := copy(buf[:], s)
		return sha256.Sum256(buf[:n])
	}
	return sha256.Sum256([]byte(s))
}

// String returns the masked form.
func (t Token) String() string { return t.Masked() }

// GoString returns the masked form, so %#v does not print the secret.
func (t Token) GoString() string { return t.Masked() }

// Format prints the masked form for every verb.
func (t Token) Format(f fmt.State, _ rune) { io.WriteString(f, t.Masked()) }

// MarshalJSON encodes the masked form.
func (t Token) MarshalJSON() ([]byte, error) { return json.Marshal(t.Masked()) }

// Mask builds the masked form from a token's last four characters.
func Mask(last4 string) string { return maskedPrefix + last4 }

// MaskLago returns the masked form of a Lago token that ends in last4.
func MaskLago(last4 string) string { return lagoMasked + last4 }

func checksum(body string) string {
	sum := checksumDigits(body)
	return string(sum[:])
}

// checksumDigits is the CRC32 of body in six base62 digits (62^6 > 2^32, so
// no two CRCs share a checksum).
func checksumDigits(body string) [tokenSumLen]byte {
	n := crc32IEEE(body)
	var out [tokenSumLen]byte
	for i := tokenSumLen - 1; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return out
}

// crc32IEEE is crc32.ChecksumIEEE over a string. The bytes are read in
// place (ChecksumIEEE never writes them), sparing an allocation on every
// authentication.
func crc32IEEE(s string) uint32 {
	return crc32.ChecksumIEEE(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// base62Value maps a byte to its base62 digit, or -1.
var base62Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base62Alphabet); i++ {
		t[base62Alphabet[i]] = int8(i)
	}
	return t
}()

// randomString draws n characters of alphabet from r without modulo bias.
func randomString(r io.Reader, alphabet string, n int) (string, error) {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
