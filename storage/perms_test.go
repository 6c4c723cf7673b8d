package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesOthersCanReadAreRefusedLikeOpenSSHRefusesAPrivateKey(t *testing.T) {
	for _, tc := range []struct {
		file string
		perm os.FileMode
	}{{"keyrack.db", 0o644}, {"keyrack.db", 0o660}, {"keyrack.db.key", 0o644}, {"keyrack.db.key", 0o604}} {
		t.Run(tc.file, func(t *testing.T) {
			s, _ := openTest(t)
			path := s.Path()
			s.Close()
			target := filepath.Join(filepath.Dir(path), tc.file)
			if err := os.Chmod(target, tc.perm); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			_, err := Open(path, Options{})
			want := fmt.Sprintf("permissions %04o for %s are too open", tc.perm, target)
			if !errors.Is(err, ErrTooOpen) || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("Open = %v, want %q", err, want)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Fatal("the database changed")
			}
			if err := os.Chmod(target, 0o600); err != nil {
				t.Fatal(err)
			}
			s2, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("after chmod 600: %v", err)
			}
			s2.Close()
		})
	}
}

func TestTheDefaultDataDirectoryIsForcedTo0700(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", home)
	dir := filepath.Join(home, "keyrack")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	info, _ := os.Stat(dir)
	if info.Mode().Perm() != 0o700 {
		t.Fatalf("data directory %v, want 0700", info.Mode().Perm())
	}
}
