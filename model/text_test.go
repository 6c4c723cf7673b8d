package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateNameAccepts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "ci", "ci"},
		{"trimmed", "  production  ", "production"},
		{"trailing newline trimmed", "deploy\n", "deploy"},
		{"inner spaces kept", "billing sync", "billing sync"},
		{"64 characters", strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{"64 multi-byte characters", strings.Repeat("é", 64), strings.Repeat("é", 64)},
		{"unicode letters", "Ключ für Zürich 東京", "Ключ für Zürich 東京"},
		{"punctuation and symbols", "ci/cd (prod) #1 — €", "ci/cd (prod) #1 — €"},
		{"emoji", "🔑 key", "🔑 key"},
		{"zero-width joiner sequence", "👩\u200d💻 dev", "👩\u200d💻 dev"},
		{"family", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},
		{"variation selectors", "❤\ufe0f and ☺\ufe0e", "❤\ufe0f and ☺\ufe0e"},
		{"skin-tone modifier", "👍\U0001F3FD ok", "👍\U0001F3FD ok"},
		{"joiner after a skin tone", "👩\U0001F3FD\u200d💻", "👩\U0001F3FD\u200d💻"},
		{"rainbow flag", "🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"},
		{"subdivision flag", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateName(tt.in)
			if err != nil {
				t.Fatalf("ValidateName(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ValidateName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidateNameRefuses(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"clear screen", "\x1b[2J", "control character"},
		{"escape inside", "ci\x1b]52;c;aGk=\x07", "control character"},
		{"NUL", "\x00", "control character"},
		{"NUL inside", "a\x00b", "control character"},
		{"newline inside", "a\nb", "control character"},
		{"carriage return inside", "a\rb", "control character"},
		{"tab inside", "a\tb", "control character"},
		{"DEL", "a\x7fb", "control character"},
		{"C1 CSI", "a\u009bb", "control character"},
		{"right-to-left override", "abc\u202edef", "bidirectional control character (U+202E)"},
		{"left-to-right embedding", "a\u202ab", "bidirectional control character (U+202A)"},
		{"pop directional formatting", "a\u202cb", "bidirectional control character (U+202C)"},
		{"left-to-right isolate", "a\u2066b", "bidirectional control character (U+2066)"},
		{"pop directional isolate", "a\u2069b", "bidirectional control character (U+2069)"},
		{"right-to-left mark", "a\u200fb", "control character (U+200F)"},
		{"joiner between letters", "a\u200db", "control character (U+200D)"},
		{"joiner at the end", "👩\u200d", "control character (U+200D)"},
		{"joiner at the start", "\u200d💻", "control character (U+200D)"},
		{"tag without a flag", "a\U000E0067", "control character (U+E0067)"},
		{"zero-width space", "a\u200bb", "control character"},
		{"65 characters", strings.Repeat("a", 65), "at most 64"},
		{"65 multi-byte characters", strings.Repeat("é", 65), "at most 64"},
		{"invalid UTF-8", "ci\xff", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateName(tt.in)
			if err == nil {
				t.Fatalf("ValidateName(%q) = %q, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateName(%q) error %q, want it to mention %q", tt.in, err, tt.wantErr)
			}
			if Printable(err.Error()) != err.Error() {
				t.Errorf("error %q is not printable itself", err)
			}
		})
	}
}

func TestPrintableReplacesControlCharacters(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"ci", "ci"},
		{"", ""},
		{"Zürich 東京 🔑", "Zürich 東京 🔑"},
		{"\x1b[2J", "\uFFFD[2J"},
		{"a\nb\tc\rd", "a\uFFFDb\uFFFDc\uFFFDd"},
		{"\x00", "\uFFFD"},
		{"a\u202eb", "a\uFFFDb"},
		{"a\u2066b", "a\uFFFDb"},
		{"a\u200db", "a\uFFFDb"},
		{"👩\u200d💻", "👩\u200d💻"},
		{"👍\U0001F3FD", "👍\U0001F3FD"},
		{"a\u009bb", "a\uFFFDb"},
		{"bad \xff\xfe utf-8", "bad \uFFFD utf-8"},
	}
	for _, tt := range tests {
		got := Printable(tt.in)
		if got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Printable(%q) = %q is not valid UTF-8", tt.in, got)
		}
		if _, err := ValidateName(strings.ReplaceAll(got, "\uFFFD", "?")); err != nil && len(got) < 64 {
			t.Errorf("Printable(%q) = %q still holds a refused character: %v", tt.in, got, err)
		}
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"ci", "\x1b[2J", "\xff", "a\u202eb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		if !utf8.ValidString(p) {
			t.Fatalf("Printable(%q) = %q is not valid UTF-8", s, p)
		}
		for _, r := range p {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
				t.Fatalf("Printable(%q) = %q keeps %U", s, p, r)
			}
		}
	})
}
