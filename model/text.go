package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest key name accepted, in characters.
const MaxNameLen = 64

// ValidateName trims a key name and refuses one that is too long or holds
// control characters, bidirectional controls or escape sequences (they
// would reach other admins' terminals, or make a name read differently from
// what it is). Emoji sequences (👩‍💻, 👍🏽, ❤️) are allowed. An empty name is
// allowed.
func ValidateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("name is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return "", fmt.Errorf("name is %d characters long; at most %d are allowed", n, MaxNameLen)
	}
	runes := []rune(name)
	for i, r := range runes {
		if shown(runes, i) {
			continue
		}
		if isBidiControl(r) {
			return "", fmt.Errorf("name contains a bidirectional control character (%U); only printable characters are allowed", r)
		}
		return "", fmt.Errorf("name contains a control character (%U); only printable characters are allowed", r)
	}
	return name, nil
}

// Printable replaces every character that could control a terminal with
// U+FFFD, for text that reaches a screen from storage or from input. It
// keeps what ValidateName accepts, emoji sequences included.
func Printable(s string) string {
	runes := []rune(strings.ToValidUTF8(s, string(utf8.RuneError)))
	clean := utf8.ValidString(s)
	for i := range runes {
		if !shown(runes, i) {
			runes[i], clean = utf8.RuneError, false
		}
	}
	if clean {
		return s
	}
	return string(runes)
}

// shown reports whether runes[i] may reach a terminal: a printable
// character, or a joiner or tag inside an emoji sequence.
func shown(runes []rune, i int) bool {
	r := runes[i]
	switch {
	case r == utf8.RuneError:
		return true // ToValidUTF8's replacement, or a literal U+FFFD: printable either way
	case r == zeroWidthJoiner:
		return i > 0 && i+1 < len(runes) && joinsAfter(runes[i-1]) && unicode.Is(unicode.So, runes[i+1])
	case r >= tagFirst && r <= tagLast:
		// A subdivision flag: 🏴 then tag letters, ended by the cancel tag.
		return i > 0 && (runes[i-1] == blackFlag || (runes[i-1] >= tagFirst && runes[i-1] < tagLast))
	}
	return unicode.IsPrint(r)
}

const (
	zeroWidthJoiner = '\u200d'
	blackFlag       = '\U0001F3F4'
	tagFirst        = '\U000E0020'
	tagLast         = '\U000E007F' // CANCEL TAG ends the sequence
)

// joinsAfter reports whether a zero-width joiner may follow r: an emoji
// (a symbol), its presentation selector or a skin-tone modifier.
func joinsAfter(r rune) bool {
	return unicode.Is(unicode.So, r) || r == '\uFE0F' || (r >= '\U0001F3FB' && r <= '\U0001F3FF')
}

// isBidiControl reports the embedding, override and isolate controls that
// reorder text on screen (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}
