package model

import "regexp"

// secretLike matches what could be a token in free text: keyrack's form
// (kr_ and base62, even mistyped or cut: a part of a secret is still
// secret) and the UUID form of tokens imported from Lago.
var secretLike = regexp.MustCompile(`kr_[0-9A-Za-z]{8,}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`)

// MaskTokens replaces everything in s that looks like a token by its
// masked form (the last 4 characters kept), so that an error message that
// quotes a mistyped argument never repeats a secret.
func MaskTokens(s string) string {
	return secretLike.ReplaceAllStringFunc(s, func(tok string) string {
		if len(tok) == lagoTokenLen && tok[8] == '-' {
			return MaskLago(tok[len(tok)-4:])
		}
		return Mask(tok[len(tok)-4:])
	})
}
