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
// control characters or escape sequences (they would reach other admins'
// terminals). An empty name is allowed.
func ValidateName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("name is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return "", fmt.Errorf("name is %d characters long; at most %d are allowed", n, MaxNameLen)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", fmt.Errorf("name contains a control character (%U); only printable characters are allowed", r)
		}
	}
	return name, nil
}

// Printable replaces every character that could control a terminal with
// U+FFFD, for text that reaches a screen from storage or from input.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}
