package model

import (
	"errors"
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
