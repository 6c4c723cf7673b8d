package keyimport

import (
	"bytes"
	"strings"
	"unicode/utf8"

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
	s := scanner{b: text}
	if !s.next('{') {
		return false
	}
	if s.next('}') {
		return s.end()
	}
	var seen [len(lineFields)]bool
	for {
		key, ok := s.str()
		if !ok || !s.next(':') {
			return false
		}
		f := fieldOf(key)
		switch {
		case f == foldedField:
			return false
		case f == otherField:
			if !s.scalar() {
				return false
			}
		case seen[f]:
			return false
		case lineFields[f] == "permissions":
			seen[f] = true
			if !s.word("null") && !s.permissions(&l.Permissions) {
				return false
			}
		default:
			seen[f] = true
			if !s.word("null") && !s.text(l.field(f)) {
				return false
			}
		}
		if s.next('}') {
			return s.end()
		}
		if !s.next(',') {
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
func (s *scanner) permissions(dst **model.Permissions) bool {
	var p model.Permissions
	var seen [model.ResourceCount]bool
	if !s.next('{') {
		return false
	}
	for !s.next('}') {
		if seen != ([model.ResourceCount]bool{}) && !s.next(',') {
			return false
		}
		name, ok := s.str()
		if !ok || !s.next(':') || !s.next('[') {
			return false
		}
		r, err := model.LookupResource(string(name))
		if err != nil || seen[r] {
			return false
		}
		seen[r] = true
		for first := true; !s.next(']'); first = false {
			if !first && !s.next(',') {
				return false
			}
			mode, ok := s.str()
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

// scanner reads JSON tokens from b at i.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// next consumes c if it comes next.
func (s *scanner) next(c byte) bool {
	if s.space(); s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// word consumes w if it comes next.
func (s *scanner) word(w string) bool {
	if s.space(); bytes.HasPrefix(s.b[s.i:], []byte(w)) {
		s.i += len(w)
		return true
	}
	return false
}

// scalar skips a string, null, true or false. A string that does not
// scan ends it: what follows its opening quote is not a value.
func (s *scanner) scalar() bool {
	if s.space(); s.i < len(s.b) && s.b[s.i] == '"' {
		_, ok := s.str()
		return ok
	}
	return s.word("null") || s.word("true") || s.word("false")
}

// str reads a string without escapes or control characters, in UTF-8.
func (s *scanner) str() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start, ascii := s.i, true
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			return v, ascii || utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// text reads a string into a new *string.
func (s *scanner) text(dst **string) bool {
	v, ok := s.str()
	if ok {
		t := string(v)
		*dst = &t
	}
	return ok
}

// end reports whether only space follows.
func (s *scanner) end() bool {
	s.space()
	return s.i == len(s.b)
}
