package sshd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadAdminKeysTakesKeysAndFiles(t *testing.T) {
	a, b, c := authorizedKey(newSigner(t)), authorizedKey(newSigner(t)), authorizedKey(newSigner(t))
	file := filepath.Join(t.TempDir(), "admins.pub")
	if err := os.WriteFile(file, []byte("# the admins\n"+b+" laptop\n\n"+c+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAdminKeys([]string{a, file})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{a, b, c}; !slices.Equal(got, want) { // normalised: comments dropped
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := ReadAdminKeys([]string{"/no/such/file"}); err == nil || !strings.Contains(err.Error(), "neither an SSH public key nor a readable file") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestSplitAdminKeysAcceptsNewlinesAndCommas(t *testing.T) {
	got := splitAdminKeys("ssh-ed25519 AAA one,ssh-ed25519 BBB two\n\n ssh-ed25519 CCC \n")
	if want := []string{"ssh-ed25519 AAA one", "ssh-ed25519 BBB two", "ssh-ed25519 CCC"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := splitAdminKeys(""); len(got) != 0 {
		t.Fatalf("empty: %q", got)
	}
}

func TestReadAdminKeysEnvNamesTheVariable(t *testing.T) {
	a := authorizedKey(newSigner(t))
	got, err := ReadAdminKeysEnv(a + " laptop," + `no-pty ` + a)
	if err != nil || len(got) != 2 || got[0] != a || got[1] != "no-pty "+a {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := ReadAdminKeysEnv(a + "\n" + `environment="A=B" ` + a); err == nil || !strings.Contains(err.Error(), `KEYRACK_ADMIN_KEYS key 2: `) || !strings.Contains(err.Error(), `"environment"`) {
		t.Fatalf("bad option: %v", err)
	}
}
