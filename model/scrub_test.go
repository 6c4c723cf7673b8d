package model

import (
	"crypto/rand"
	"strings"
	"testing"
)

func TestMaskTokensHidesKeyrackAndLagoTokens(t *testing.T) {
	tok, err := GenerateToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kr := tok.Reveal()
	lago := "3f2c9a1e-7b4d-4e8a-9c1f-0a2b3c4d5e6f"
	for _, in := range []string{
		`unknown command "` + kr + `"`,
		`permission "customer=` + kr + `": want resource=read`,
		`invalid email "` + strings.ToUpper(lago) + `"`,
		`unknown flag: --` + kr[:20],
		lago + lago,
	} {
		out := MaskTokens(in)
		for _, secret := range []string{kr[3:20], kr[len(kr)-16:], lago[:20], strings.ToUpper(lago)[:20]} {
			if strings.Contains(out, secret) {
				t.Errorf("MaskTokens(%q) = %q still holds %q", in, out, secret)
			}
		}
		if !strings.Contains(out, "••••••••") {
			t.Errorf("MaskTokens(%q) = %q, want the masked form", in, out)
		}
	}
	for _, keep := range []string{"kr_••••••••abcd", "key 0a1b2c3d4e5f expired", "unknown resource \"customers\""} {
		if got := MaskTokens(keep); got != keep {
			t.Errorf("MaskTokens(%q) = %q, want it unchanged", keep, got)
		}
	}
}
