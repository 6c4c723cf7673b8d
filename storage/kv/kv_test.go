package kv_test

import (
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func TestPrefixEnd(t *testing.T) {
	cases := map[string]string{"ab": "ac", "a\xff": "b", "\xff\xff": "", "": ""}
	for p, want := range cases {
		if got := string(kv.PrefixEnd([]byte(p))); got != want {
			t.Errorf("PrefixEnd(%q) = %q, want %q", p, got, want)
		}
	}
}
