package model

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixedToken builds a valid token from a chosen body, so tests need no randomness.
func fixedToken(t testing.TB, body string) Token {
	t.Helper()
	tok, err := ParseToken(tokenPrefix + body + checksum(body))
	if err != nil {
		t.Fatalf("ParseToken of a well-formed token: %v", err)
	}
	return tok
}

func TestGeneratedTokensParseAndHaveTheDocumentedFormat(t *testing.T) {
	seen := make(map[string]bool, 10000)
	for i := range 10000 {
		tok, err := GenerateToken(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		s := tok.Reveal()
		if len(s) != 39 || utf8.RuneCountInString(s) != 39 {
			t.Fatalf("token %d is %d bytes long, want 39", i, len(s))
		}
		if !strings.HasPrefix(s, "kr_") {
			t.Fatalf("token %d does not start with kr_", i)
		}
		for j := 3; j < len(s); j++ {
			if !strings.ContainsRune(base62Alphabet, rune(s[j])) {
				t.Fatalf("token %d has %q at %d, outside base62", i, s[j], j)
			}
		}
		back, err := ParseToken(s)
		if err != nil {
			t.Fatalf("generated token %d does not parse: %v", i, err)
		}
		if back.Reveal() != s {
			t.Fatalf("generated token %d does not round-trip", i)
		}
		if seen[s] {
			t.Fatalf("token %d is a duplicate", i)
		}
		seen[s] = true
	}
}

func TestGenerateTokenReportsAFailingRandomSource(t *testing.T) {
	if _, err := GenerateToken(bytes.NewReader([]byte{1, 2, 3})); err == nil {
		t.Fatal("GenerateToken with an exhausted reader succeeded")
	}
}

func TestChangingAnySingleCharacterIsRejected(t *testing.T) {
	alternatives := base62Alphabet + "_-+/=. \x00\x7f\xff"
	for _, body := range []string{
		"abcdefghijklmnopqrstuvwxyzABCD",
		"000000000000000000000000000000",
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	} {
		valid := fixedToken(t, body).Reveal()
		for pos := range len(valid) {
			for k := range len(alternatives) {
				c := alternatives[k]
				if c == valid[pos] {
					continue
				}
				mutated := valid[:pos] + string([]byte{c}) + valid[pos+1:]
				_, err := ParseToken(mutated)
				want := ErrTokenChecksum
				switch {
				case pos < len(tokenPrefix):
					want = ErrTokenPrefix
				case base62Value[c] < 0:
					want = ErrTokenChar
				}
				if !errors.Is(err, want) {
					t.Fatalf("%q (position %d changed to %q): got %v, want %v", mutated, pos, c, err, want)
				}
			}
		}
	}
}

func TestParseTokenNamesWhatIsWrong(t *testing.T) {
	valid := fixedToken(t, "abcdefghijklmnopqrstuvwxyzABCD").Reveal()
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrTokenPrefix},
		{"prefix only", "kr_", ErrTokenLength},
		{"other product's prefix", "sk_" + valid[3:], ErrTokenPrefix},
		{"upper-case prefix", "KR_" + valid[3:], ErrTokenPrefix},
		{"no prefix", valid[3:], ErrTokenPrefix},
		{"truncated by one", valid[:len(valid)-1], ErrTokenLength},
		{"truncated checksum", valid[:len(valid)-6], ErrTokenLength},
		{"one character more", valid + "a", ErrTokenLength},
		{"trailing newline", valid + "\n", ErrTokenLength},
		{"leading space", " " + valid, ErrTokenPrefix},
		{"two tokens", valid + valid, ErrTokenLength},
		{"dash in the body", valid[:10] + "-" + valid[11:], ErrTokenChar},
		{"multi-byte character", valid[:10] + "é" + valid[12:], ErrTokenChar},
		{"swapped characters", valid[:5] + valid[6:7] + valid[5:6] + valid[7:], ErrTokenChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseToken(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseToken(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestTokenErrorsAreDistinct(t *testing.T) {
	errs := []error{ErrTokenPrefix, ErrTokenLength, ErrTokenChar, ErrTokenChecksum}
	for i, a := range errs {
		for j, b := range errs {
			if i != j && (errors.Is(a, b) || a.Error() == b.Error()) {
				t.Errorf("%v and %v are not distinct", a, b)
			}
		}
	}
}

func TestParseTokenErrorsNeverContainTheInput(t *testing.T) {
	valid := fixedToken(t, "SECRETsecretSECRETsecretSECRET").Reveal()
	for _, in := range []string{
		valid[:len(valid)-1] + "x",
		valid[:20] + "!" + valid[21:],
		valid + "x",
		"xx" + valid[2:],
	} {
		_, err := ParseToken(in)
		if err == nil {
			t.Fatalf("ParseToken(%q) accepted a broken token", in)
		}
		if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "secret") {
			t.Errorf("error %q repeats the token", err)
		}
	}
}

// holder is how other packages carry tokens: exported and unexported
// fields, pointers, slices and maps.
type holder struct {
	Name   string
	Token  Token
	Ptr    *Token
	hidden Token
	Many   []Token
	ByName map[string]Token
}

func TestTokenSecretNeverPrintedOrEncoded(t *testing.T) {
	tok := fixedToken(t, "SECRETsecretSECRETsecretSECRET")
	body := tok.Reveal()[3:33]
	h := holder{Name: "ci", Token: tok, Ptr: &tok, hidden: tok, Many: []Token{tok}, ByName: map[string]Token{"ci": tok}}
	key := Key{ID: "abcdefghijkl", Name: "ci", Last4: tok.Last4(), Permissions: AllPermissions()}
	values := map[string]any{
		"token":           tok,
		"token pointer":   &tok,
		"struct":          h,
		"struct pointer":  &h,
		"key":             key,
		"key pointer":     &key,
		"unexported only": struct{ t Token }{tok},
		"slice":           []Token{tok},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			printed := fmt.Sprintf("%v %s %+v %#v %q %x %X %d", v, v, v, v, v, v, v, v)
			if strings.Contains(printed, body) {
				t.Errorf("fmt printed the secret: %s", printed)
			}
			if strings.Contains(strings.ToLower(printed), fmt.Sprintf("%x", body)) {
				t.Errorf("fmt printed the secret in hex: %s", printed)
			}
			j, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(j, []byte(body)) {
				t.Errorf("json.Marshal printed the secret: %s", j)
			}
		})
	}
}

func TestTokenPrintsItsMaskedForm(t *testing.T) {
	tok := fixedToken(t, "abcdefghijklmnopqrstuvwxyzABCD")
	last4 := tok.Reveal()[35:]
	want := "kr_••••••••" + last4
	if got := tok.Masked(); got != want {
		t.Errorf("Masked() = %q, want %q", got, want)
	}
	for _, verb := range []string{"%v", "%s", "%+v", "%#v"} {
		if got := fmt.Sprintf(verb, tok); got != want {
			t.Errorf("Sprintf(%s) = %q, want %q", verb, got, want)
		}
	}
	if got, _ := json.Marshal(tok); string(got) != `"`+want+`"` {
		t.Errorf("json = %s, want %q", got, want)
	}
	if got := tok.Last4(); got != last4 {
		t.Errorf("Last4() = %q, want %q", got, last4)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ last4, want string }{
		{"AbC9", "kr_••••••••AbC9"},
		{"", "kr_••••••••"},
	}
	for _, tt := range tests {
		if got := Mask(tt.last4); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.last4, got, tt.want)
		}
	}
	var zero Token
	if !zero.IsZero() || zero.Last4() != "" || zero.Masked() != "kr_••••••••" {
		t.Errorf("zero token: IsZero %v, Last4 %q, Masked %q", zero.IsZero(), zero.Last4(), zero.Masked())
	}
	if fixedToken(t, "abcdefghijklmnopqrstuvwxyzABCD").IsZero() {
		t.Error("a parsed token reports IsZero")
	}
}

func TestTokenHashIsSHA256OfTheToken(t *testing.T) {
	a := fixedToken(t, "abcdefghijklmnopqrstuvwxyzABCD")
	b := fixedToken(t, "abcdefghijklmnopqrstuvwxyzABCE")
	if a.Hash() == b.Hash() {
		t.Error("different tokens share a hash")
	}
	if a.Hash() != sha256.Sum256([]byte(a.Reveal())) {
		t.Error("Hash is not the SHA-256 of the token")
	}
}

func FuzzParseToken(f *testing.F) {
	valid := "kr_abcdefghijklmnopqrstuvwxyzABCD" + checksum("abcdefghijklmnopqrstuvwxyzABCD")
	for _, s := range []string{"", "kr_", valid, valid[:38], valid + "x", "kr_" + strings.Repeat("é", 18), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseToken(s)
		if err != nil {
			if !errors.Is(err, ErrTokenPrefix) && !errors.Is(err, ErrTokenLength) && !errors.Is(err, ErrTokenChar) && !errors.Is(err, ErrTokenChecksum) {
				t.Fatalf("ParseToken(%q) returned an unexpected error %v", s, err)
			}
			if len(s) >= 8 && strings.Contains(err.Error(), s) {
				t.Fatalf("error %q repeats the input", err)
			}
			return
		}
		if tok.Reveal() != s {
			t.Fatalf("accepted %q but Reveal gives %q", s, tok.Reveal())
		}
		again, err := ParseToken(tok.Reveal())
		if err != nil || again.Reveal() != s {
			t.Fatalf("accepted %q does not round-trip: %v", s, err)
		}
		if strings.Contains(fmt.Sprint(tok), s[3:33]) {
			t.Fatalf("fmt shows the secret of %q", s)
		}
	})
}

func BenchmarkParseToken(b *testing.B) {
	tok, err := GenerateToken(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	s := tok.Reveal()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseToken(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenHash(b *testing.B) {
	tok, err := GenerateToken(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = tok.Hash()
	}
}

func TestCRC32MatchesStandardLibrary(t *testing.T) {
	for _, s := range []string{"", "a", "0123456789ABCDEFGHIJabcdefghij", strings.Repeat("z", 30)} {
		if got, want := crc32IEEE(s), crc32.ChecksumIEEE([]byte(s)); got != want {
			t.Errorf("crc32IEEE(%q) = %08x, want %08x", s, got, want)
		}
	}
}
