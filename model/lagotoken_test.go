package model

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestLagoTokensAreAcceptedAsGivenAndMalformedOnesRefused(t *testing.T) {
	const uuid = "3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b"
	tok, err := ParseCredential(uuid)
	if err != nil || tok.Reveal() != uuid || tok.Last4() != "1a2b" {
		t.Fatalf("ParseCredential(uuid) = %v, %v", tok, err)
	}
	for _, bad := range []string{"3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2", "3f1c2a9e66b7d-4e21-9a0b-5c8d7e6f1a2b", "3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2g"} {
		if _, err := ParseCredential(bad); err == nil {
			t.Errorf("ParseCredential accepted a malformed UUID")
		}
	}
	if _, err := ParseCredential("kr_" + uuid[3:]); !errors.Is(err, ErrTokenLength) {
		t.Errorf("a kr_ token is checked as a keyrack token: %v", err)
	}
	if _, err := ParseLagoToken(uuid); err != nil {
		t.Error(err)
	}
}

// A Lago token, and a key that holds one, are masked without kr_: the
// admin sees the token's own form. A kr_ token keeps its prefix.
func TestLagoTokensAreMaskedWithoutTheKrPrefix(t *testing.T) {
	tok, err := ParseLagoToken("3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b")
	if err != nil {
		t.Fatal(err)
	}
	if !tok.IsLago() || tok.Masked() != "••••••••1a2b" || fmt.Sprint(tok) != "••••••••1a2b" {
		t.Errorf("Lago token: IsLago %v, masked %q, printed %q", tok.IsLago(), tok.Masked(), fmt.Sprint(tok))
	}
	if k := (Key{Last4: "1a2b", LagoToken: true}); k.Masked() != "••••••••1a2b" {
		t.Errorf("key holding a Lago token masked %q", k.Masked())
	}
	if k := (Key{Last4: "1a2b"}); k.Masked() != "kr_••••••••1a2b" {
		t.Errorf("key holding a kr_ token masked %q", k.Masked())
	}
	kr, err := GenerateToken(rand.Reader)
	if err != nil || kr.IsLago() || !strings.HasPrefix(kr.Masked(), "kr_••••••••") {
		t.Errorf("kr_ token: IsLago %v, masked %q, %v", kr.IsLago(), kr.Masked(), err)
	}
	if got := MaskTokens("token 3f1c2a9e-6b7d-4e21-9a0b-5c8d7e6f1a2b refused"); got != "token ••••••••1a2b refused" {
		t.Errorf("MaskTokens of a UUID = %q", got)
	}
}
