package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRekeyKeepsTokensAndRetiresTheOldKey is the user's check of rekey:
// every token reveals the same after it, and the old master key no longer
// opens the file.
func TestRekeyKeepsTokensAndRetiresTheOldKey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	if r := keyrack(t, db, "keys", "create", "--name", "ci", "--create"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	reveal := func() string {
		var all []string
		for _, line := range strings.Split(keyrack(t, db, "keys", "list").stdout, "\n")[1:] {
			if f := strings.Fields(line); len(f) > 0 {
				r := keyrack(t, db, "keys", "reveal", f[0])
				if r.code != 0 {
					t.Fatal(r.stderr)
				}
				all = append(all, strings.TrimSpace(r.stdout))
			}
		}
		return strings.Join(all, " ")
	}
	before := reveal()
	oldKey, _ := os.ReadFile(db + ".key")
	r := keyrack(t, db, "rekey")
	if r.code != 0 || !strings.Contains(r.stdout, "re-sealed every secret") || !strings.Contains(r.stdout, "compacted") {
		t.Fatalf("rekey: %+v", r)
	}
	if after := reveal(); after != before || len(strings.Fields(before)) != 2 {
		t.Fatalf("tokens after rekey %q, before %q", after, before)
	}
	cmd := exec.Command(binary, "--db", db, "keys", "list")
	cmd.Env = append(os.Environ(), "KEYRACK_MASTER_KEY="+strings.TrimSpace(string(oldKey)))
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "master key does not match") {
		t.Fatalf("the old key still opens the file: %s", out)
	}
	if r := keyrack(t, db, "compact"); r.code != 0 || !strings.HasPrefix(r.stdout, "compacted "+db) {
		t.Fatalf("compact: %+v", r)
	}
	if r := keyrack(t, db, "check"); r.code != 0 {
		t.Fatalf("check after rekey and compact: %+v", r)
	}
}

// TestCheckNamesTheDamageOfATruncatedCopyAndTheOriginalStillWorks is the
// README's advice tried: check a copy, keep using the original.
func TestCheckNamesTheDamageOfATruncatedCopyAndTheOriginalStillWorks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	for range 20 {
		if r := keyrack(t, db, "keys", "create", "--create"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	data, _ := os.ReadFile(db)
	cut := filepath.Join(dir, "cut.db")
	os.WriteFile(cut, data[:len(data)/2], 0o600)
	r := keyrack(t, cut, "check")
	if r.code != 1 || !strings.Contains(r.stdout, "problem: the file is truncated") ||
		r.stderr != "keyrack: database "+cut+" is damaged: 1 problem found; restore it from a backup (see README)\n" {
		t.Fatalf("check of a truncated copy: %+v", r)
	}
	if r := keyrack(t, db, "check"); r.code != 0 || !strings.Contains(r.stdout, "is sound: 21 keys") {
		t.Fatalf("the original after checking a copy: %+v", r)
	}
}
