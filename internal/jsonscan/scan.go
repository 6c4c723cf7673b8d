// Package jsonscan reads the tokens of a JSON text of a known shape
// without reflection, for the decoders that run once per line of an
// import file and once per key record of a load. Its strings are those
// without escapes or control characters, in UTF-8; a decoder built on it
// returns false for anything else and leaves that text to encoding/json,
// so that both decode alike.
package jsonscan

import (
	"bytes"
	"math"
	"unicode/utf8"
)

// Scanner reads tokens from a text, skipping the whitespace between them.
type Scanner struct {
	b []byte
	i int
}

// New returns a scanner at the start of b.
func New(b []byte) Scanner { return Scanner{b: b} }

// isSpace marks JSON's whitespace: a table keeps Next small enough for
// the compiler to inline.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func (s *Scanner) space() {
	for s.i < len(s.b) && isSpace[s.b[s.i]] {
		s.i++
	}
}

// Next consumes c if it comes next.
func (s *Scanner) Next(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c { // no space before it, as encoding/json writes
		s.i++
		return true
	}
	if s.space(); s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// Word consumes w (null, true or false) if it comes next.
func (s *Scanner) Word(w string) bool {
	if s.space(); bytes.HasPrefix(s.b[s.i:], []byte(w)) {
		s.i += len(w)
		return true
	}
	return false
}

// String reads a string without escapes or control characters, in UTF-8,
// and returns its bytes, which alias the text.
func (s *Scanner) String() ([]byte, bool) {
	if !s.Next('"') {
		return nil, false
	}
	rest := s.b[s.i:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	v := rest[:end]
	for i, c := range v {
		if c-' ' >= utf8.RuneSelf-' ' || c == '\\' { // a control character, a backslash or beyond ASCII
			if !unicodeOnly(v[i:]) {
				return nil, false
			}
			break
		}
	}
	s.i += end + 1
	return v, true
}

// unicodeOnly reports whether the rest of a string holds neither a control
// character nor a backslash, and is in UTF-8.
func unicodeOnly(rest []byte) bool {
	for _, c := range rest {
		if c < ' ' || c == '\\' {
			return false
		}
	}
	return utf8.Valid(rest)
}

// Bool reads true or false.
func (s *Scanner) Bool() (v, ok bool) {
	if s.Word("true") {
		return true, true
	}
	return false, s.Word("false")
}

// Int reads an integer of at most 19 digits that fits an int64; a
// fraction or an exponent is left to the caller's next token, which it
// is not.
func (s *Scanner) Int() (int64, bool) {
	s.space()
	b, i := s.b, s.i
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	start := i
	var n uint64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 19; i++ {
		n = n*10 + uint64(b[i]-'0')
	}
	if i == start || n > math.MaxInt64 || b[start] == '0' && i-start > 1 || i < len(b) && b[i] >= '0' && b[i] <= '9' {
		return 0, false
	}
	s.i = i
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// Scalar skips a string, null, true or false. A string that does not
// scan ends it: what follows its opening quote is no value.
func (s *Scanner) Scalar() bool {
	if s.space(); s.i < len(s.b) && s.b[s.i] == '"' {
		_, ok := s.String()
		return ok
	}
	return s.Word("null") || s.Word("true") || s.Word("false")
}

// End reports whether only whitespace follows.
func (s *Scanner) End() bool {
	s.space()
	return s.i == len(s.b)
}
