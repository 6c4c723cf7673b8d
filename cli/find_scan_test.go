package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

func TestKeysFindReadsTheTokenOnStdin(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	code, out, _ := h.runIn(k.Token+"\n", false, "keys", "find", "-")
	if code != 0 || !strings.Contains(out, "key "+k.ID+" ci, active, last used never") || strings.Contains(out, k.Token) {
		t.Fatalf("found: exit %d %q", code, out)
	}
	other, _ := model.GenerateToken(strings.NewReader(strings.Repeat("x", 64)))
	code, out, errOut := h.runIn(other.Reveal(), false, "keys", "find", "-")
	if code != 1 || !strings.Contains(out, "no key has this token") || errOut != "" || strings.Contains(out, other.Reveal()) {
		t.Fatalf("unknown: exit %d %q %q", code, out, errOut)
	}
	bad := mistype(k.Token)
	code, out, errOut = h.runIn(bad, false, "keys", "find", "-")
	if code != 1 || out != "" || !strings.Contains(errOut, "no valid token") || strings.Contains(errOut, bad) {
		t.Fatalf("mistyped: exit %d %q %q", code, out, errOut)
	}
	if errOut := h.fails(2, "keys", "find", k.Token); strings.Contains(errOut, k.Token) || !strings.Contains(errOut, "stdin") {
		t.Fatalf("token as an argument: %q", errOut)
	}
}

func TestScanFindsLiveTokensInATree(t *testing.T) {
	h := newHarness(t)
	live := h.createJSON("--name", "live")
	expired := h.createJSON("--name", "gone")
	h.ok("keys", "rotate", expired.ID) // its token is destroyed
	lago := "3f1e2d4c-5b6a-4789-8abc-def012345678"
	lagoTok, _ := model.ParseLagoToken(lago)
	if _, err := h.store.Import("test", storage.InOneBlock([]storage.NewKey{{Name: "lago", Permissions: model.AllPermissions(), Token: lagoTok}}), nil); err != nil {
		t.Fatal(err)
	}
	foreign, _ := model.GenerateToken(strings.NewReader(strings.Repeat("y", 64)))
	mistyped := mistype(live.Token)

	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("app.log", "start\nAuthorization: Bearer "+live.Token+"\nold "+expired.Token+"\n")
	write("deep/ci/env", "TYPO="+mistyped+"\nLAGO="+lago+"\nREQUEST_ID=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d\nOTHER="+foreign.Reveal()+"\n")
	write("clean.txt", "nothing here\n")

	code, out, errOut := h.run("scan", dir, filepath.Join(dir, "missing"))
	if code != 1 {
		t.Fatalf("exit %d, want 1 (live keys):\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"app.log:2: " + model.Mask(live.Token[35:]) + " key " + live.ID + " live active",
		"app.log:3: " + model.Mask(expired.Token[35:]) + " unknown token",
		"env:2: " + lagoTok.Masked() + " key ",
		"env:4: " + foreign.Masked() + " unknown token",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "env:1") || strings.Contains(out, "env:3") {
		t.Errorf("a mistyped token or a foreign UUID was reported:\n%s", out)
	}
	for _, secret := range []string{live.Token, expired.Token, lago, foreign.Reveal()} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("a token was printed in full")
		}
	}
	for _, want := range []string{"scanned 3 files: 2 tokens of 2 live keys found", "1 path unreadable", "keyrack keys rotate --all", "missing"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %q", want, errOut)
		}
	}
	if code, _, _ := h.run("scan", filepath.Join(dir, "clean.txt")); code != 0 {
		t.Errorf("clean file: exit %d", code)
	}
	if code, _, _ := h.runIn("no token\n", false, "scan", "-"); code != 0 {
		t.Errorf("clean stdin: exit %d", code)
	}
	if code, _, _ := h.run("scan", filepath.Join(dir, "missing")); code != 2 {
		t.Errorf("nothing readable: exit %d, want 2", code)
	}
}

func TestKeysListFilters(t *testing.T) {
	h := newHarness(t)
	used := h.createJSON("--name", "used")
	off := h.createJSON("--name", "off")
	h.ok("keys", "disable", off.ID)
	h.clock.Advance(40 * model.Day)
	if err := h.store.RecordLastUsed(map[string]time.Time{used.ID: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	ids := func(args ...string) string {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(h.ok(append([]string{"keys", "list"}, args...)...)), "\n")[1:] {
			got = append(got, strings.Fields(line)[1])
		}
		slices.Sort(got)
		return strings.Join(got, ",")
	}
	if got := ids("--status", "disabled"); got != "off" {
		t.Errorf("--status disabled: %s", got)
	}
	if got := ids("--never-used"); got != "Default,off" {
		t.Errorf("--never-used: %s", got)
	}
	if got := ids("--idle", "30d", "--status", "active"); got != "Default" {
		t.Errorf("--idle 30d --status active: %s", got)
	}
	h.fails(2, "keys", "list", "--status", "gone")
	h.fails(2, "keys", "list", "--idle", "soon")
}

func TestScanOverSSHReadsStdinOnly(t *testing.T) {
	h := newHarness(t)
	if code, _, errOut := h.runIn("", true, "scan", "/etc"); code != 2 || !strings.Contains(errOut, "stdin only") {
		t.Fatalf("scan of a server path over SSH: exit %d %q", code, errOut)
	}
	if code, _, _ := h.runIn("nothing\n", true, "scan", "-"); code != 0 {
		t.Fatalf("scan - over SSH: exit %d", code)
	}
}

// mistype changes the token's 21st character to another one: an "x" put
// there left one token in 62 as it was, and CI failed once on that.
func mistype(token string) string {
	c := byte('x')
	if token[20] == c {
		c = 'y'
	}
	return token[:20] + string(c) + token[21:]
}
