package jsonscan

import (
	"encoding/json"
	"testing"
)

// Every token the scanner reads is read alike by encoding/json; what it
// refuses is left to encoding/json.
func TestTokensAgreeWithEncodingJSON(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{`"plain"`, true}, {` "ünïcode ✓" `, true}, {`""`, true},
		{`"a\"b"`, false}, {`"tab	in"`, false}, {"\"\xff\"", false}, {`"open`, false}, {`x`, false},
	} {
		s := New([]byte(c.text))
		v, ok := s.String()
		ok = ok && s.End()
		if ok != c.ok {
			t.Errorf("String of %q: ok %v, want %v", c.text, ok, c.ok)
			continue
		}
		var want string
		if ok && (json.Unmarshal([]byte(c.text), &want) != nil || string(v) != want) {
			t.Errorf("String of %q = %q, encoding/json %q", c.text, v, want)
		}
	}
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{`0`, true}, {` -12 `, true}, {`9223372036854775807`, true}, {`-9223372036854775807`, true},
		{`9223372036854775808`, false}, {`99999999999999999999`, false}, {`012`, false}, {`-`, false},
		{`1.5`, false}, {`1e3`, false}, {`"1"`, false},
	} {
		s := New([]byte(c.text))
		n, ok := s.Int()
		ok = ok && s.End()
		if ok != c.ok {
			t.Errorf("Int of %q: ok %v, want %v", c.text, ok, c.ok)
			continue
		}
		var want int64
		if ok && (json.Unmarshal([]byte(c.text), &want) != nil || n != want) {
			t.Errorf("Int of %q = %d, encoding/json %d", c.text, n, want)
		}
	}
}

// Scalar skips a string, null, true or false, and nothing that only
// starts like one.
func TestScalarSkipsOnlyWholeValues(t *testing.T) {
	for text, ok := range map[string]bool{
		`"a"`: true, `null`: true, `true`: true, `false`: true,
		`"a	null`: false, "\"\xff\"null": false, `nul`: false, `1`: false, `{}`: false,
	} {
		s := New([]byte(text))
		if got := s.Scalar() && s.End(); got != ok {
			t.Errorf("Scalar of %q: %v, want %v", text, got, ok)
		}
	}
}
