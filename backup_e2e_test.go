package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestBackupOverSSHWhileServeWritesRestoresEveryToken takes a backup over
// SSH while other sessions keep creating keys, restores it the README's
// way (the file put back beside a copy of its master key) and reads every
// token the backup should hold.
func TestBackupOverSSHWhileServeWritesRestoresEveryToken(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	addr, signer := servedBinary(t, db)
	tokens := map[string]string{}
	for i := range 3 {
		r := overSSH(t, addr, signer, fmt.Sprintf("keys create --name before-%d --json", i))
		if r.code != 0 {
			t.Fatal(r.stderr)
		}
		var k struct{ ID, Token string }
		if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || k.Token == "" {
			t.Fatalf("keys create --json: %q (%v)", r.stdout, err)
		}
		tokens[k.ID] = k.Token
	}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes go on during the backup
		defer wg.Done()
		for i := range 5 {
			if r := overSSH(t, addr, signer, fmt.Sprintf("keys create --name during-%d", i)); r.code != 0 {
				t.Error(r.stderr)
			}
		}
	}()
	backup := overSSH(t, addr, signer, "backup -")
	wg.Wait()
	if backup.code != 0 || len(backup.stdout) == 0 {
		t.Fatalf("backup over SSH: exit %d, %d bytes, %s", backup.code, len(backup.stdout), backup.stderr)
	}

	restored := filepath.Join(dir, "restored", "keyrack.db")
	os.MkdirAll(filepath.Dir(restored), 0o700)
	key, err := os.ReadFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, []byte(backup.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored+".key", key, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := keyrack(t, restored, "check"); r.code != 0 || !strings.Contains(r.stdout, "is sound") {
		t.Fatalf("check of the restored backup: %+v", r)
	}
	for id, want := range tokens {
		if r := keyrack(t, restored, "keys", "reveal", id); r.code != 0 || strings.TrimSpace(r.stdout) != want {
			t.Errorf("keys reveal %s on the restored copy: %+v", id, r)
		}
	}
}
