package sshd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestHostKeyIsCreatedOnceWithMode0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "ssh_host_ed25519")
	first, err := loadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	if first.PublicKey().Type() != "ssh-ed25519" {
		t.Errorf("host key type %s", first.PublicKey().Type())
	}
	again, err := loadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.PublicKey().Marshal(), again.PublicKey().Marshal()) {
		t.Error("the host key changed on the second start")
	}
}

func TestInvalidHostKeyIsNotReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ssh_host_ed25519")
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateHostKey(path); err == nil {
		t.Fatal("an invalid host key was accepted")
	}
	if b, _ := os.ReadFile(path); string(b) != "not a key" {
		t.Error("the invalid host key file was overwritten")
	}
}

func TestServerUsesHostKeyBesideTheDatabase(t *testing.T) {
	ts := startServer(t)
	if _, err := os.Stat(filepath.Join(filepath.Dir(ts.st.Path()), HostKeyName)); err != nil {
		t.Fatalf("no host key beside the database: %v", err)
	}
}
