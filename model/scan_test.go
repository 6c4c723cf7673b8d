package model

import (
	"crypto/rand"
	"strings"
	"testing"
)

func TestFindCredentialsKeepsValidTokensAndUUIDs(t *testing.T) {
	tok, err := GenerateToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	good := tok.Reveal()
	mistyped := good[:10] + string(rune(good[10]^1)) + good[11:]
	uuid := "3f1e2d4c-5b6a-4789-8abc-def012345678"
	line := "export A=" + good + " B=" + mistyped + " C=" + good[:38] + ` "` + uuid + `" x` + good + "y"
	found := FindCredentials([]byte(line))
	if len(found) != 2 || found[0].Token.Reveal() != good || found[0].Lago || !found[1].Lago || !strings.EqualFold(found[1].Token.Reveal(), uuid) {
		t.Fatalf("found %d: %+v", len(found), found)
	}
}
