package keyimport

import (
	"strings"
	"unicode/utf8"

	"github.com/keyrack/keyrack/internal/jsonscan"
	"github.com/keyrack/keyrack/model"
)

// scanLine decodes a line of the usual shape into l without reflection:
// one object whose values are strings without escapes, null, true or
// false, and a permissions object of arrays of modes. For anything else
// (an escape, a number, nesting elsewhere, a field twice or spelt in
// another case, bad JSON, a bad resource or mode) it returns false and
// parseLine asks encoding/json, so both decode alike and every error is
// encoding/json's or the model's. Decoding is most of an import's parse.
func scanLine(text []byte, l *line) bool {
	s := jsonscan.New(text)
	if !s.Next('{') {
		return false
	}
	if s.Next('}') {
		return s.End()
	}
	var seen [len(lineFields)]bool
	for {
		key, ok := s.String()
		if !ok || !s.Next(':') {
			return false
		}
		f := fieldOf(key)
		switch {
		case f == foldedField:
			return false
		case f == otherField:
			if !s.Scalar() {
				return false
			}
		case seen[f]:
			return false
		case lineFields[f] == "permissions":
			seen[f] = true
			if !s.Word("null") && !permissions(&s, &l.Permissions) {
				return false
			}
		default:
			seen[f] = true
			if !s.Word("null") && !textInto(&s, l.field(f)) {
				return false
			}
		}
		if s.Next('}') {
			return s.End()
		}
		if !s.Next(',') {
			return false
		}
	}
}

// lineFields are line's JSON names, in the order of line.field.
var lineFields = [...]string{"value", "token", "name", "created_at", "last_used_at", "expires_at", "permissions"}

const (
	otherField  = -1 // a field line does not have
	foldedField = -2 // one encoding/json might match to a field of line, case-insensitively
)

func fieldOf(key []byte) int {
	for i, name := range lineFields {
		if string(key) == name {
			return i
		}
	}
	for i := range key {
		if key[i] >= utf8.RuneSelf {
			return foldedField
		}
	}
	for _, name := range lineFields {
		if strings.EqualFold(string(key), name) {
			return foldedField
		}
	}
	return otherField
}

// field is where the string field f of lineFields goes.
func (l *line) field(f int) **string {
	return [...]**string{&l.Value, &l.Token, &l.Name, &l.CreatedAt, &l.LastUsedAt, &l.ExpiresAt}[f]
}

// permissions reads an object of resource → array of modes, as
// model.Permissions decodes it.
func permissions(s *jsonscan.Scanner, dst **model.Permissions) bool {
	var p model.Permissions
	var seen [model.ResourceCount]bool
	if !s.Next('{') {
		return false
	}
	for !s.Next('}') {
		if seen != ([model.ResourceCount]bool{}) && !s.Next(',') {
			return false
		}
		name, ok := s.String()
		if !ok || !s.Next(':') || !s.Next('[') {
			return false
		}
		r, err := model.LookupResource(string(name))
		if err != nil || seen[r] {
			return false
		}
		seen[r] = true
		for first := true; !s.Next(']'); first = false {
			if !first && !s.Next(',') {
				return false
			}
			mode, ok := s.String()
			if !ok {
				return false
			}
			a, err := model.ParseMode(string(mode))
			if err != nil || p.Grant(r, a) != nil {
				return false
			}
		}
	}
	*dst = &p
	return true
}

// textInto reads a string into a new *string.
func textInto(s *jsonscan.Scanner, dst **string) bool {
	v, ok := s.String()
	if ok {
		t := string(v)
		*dst = &t
	}
	return ok
}
