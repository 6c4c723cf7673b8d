package storage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestMustExistRefusesAMissingDatabaseAndCreatesNothing(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "typo", "typo.db")
	_, err := Open(path, Options{MustExist: true})
	if !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("Open: %v, want ErrNoDatabase", err)
	}
	for _, p := range []string{path, path + ".key", filepath.Dir(path)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a refused open", p)
		}
	}
}

func TestAnEmptyFileIsRefusedAsDamagedNotRebuilt(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "k.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open of an empty file: %v, want ErrDamaged", err)
	}
	if info, _ := os.Stat(path); info.Size() != 0 {
		t.Error("the empty file was written to")
	}
	if _, err := os.Stat(path + ".key"); !errors.Is(err, os.ErrNotExist) {
		t.Error("a master key was created for it")
	}
}

func TestCreatedSaysWhetherThisOpenMadeTheDatabase(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Created() {
		t.Error("first open: Created() = false")
	}
	s.Close()
	if s, err = Open(path, Options{MustExist: true}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Created() {
		t.Error("second open: Created() = true")
	}
}

func TestAuditCountCountsEveryRecord(t *testing.T) {
	s, _ := openTest(t)
	for range 3 {
		mustCreate(t, s, "k")
	}
	all, _ := s.Audit(0)
	if n, err := s.AuditCount(); err != nil || n != len(all) {
		t.Fatalf("AuditCount = %d, %v; want %d", n, err, len(all))
	}
}
