package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// leftoverSpool creates the empty file a crash between a spool's creation
// and its unlinking leaves.
func leftoverSpool(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	must(t, os.WriteFile(path, nil, 0o600))
	return path
}

func TestOpenRemovesTheEmptySpoolsACrashLeftAndNothingElse(t *testing.T) {
	s, clk := openTest(t)
	dir := filepath.Dir(s.Path())
	gone := []string{
		leftoverSpool(t, dir, ".keyrack-import-1234567"),
		leftoverSpool(t, dir, ".keyrack-import-0"),
		leftoverSpool(t, dir, ".keyrack-import-4294967295"),
	}
	kept := map[string]string{} // name: what it is
	empty := func(name, what string) {
		leftoverSpool(t, dir, name)
		kept[name] = what
	}
	empty(".keyrack-import-4294967296", "more than a uint32")
	empty(".keyrack-import-0123", "a leading zero")
	empty(".keyrack-import-", "no digits")
	empty(".keyrack-import-12x", "not only digits")
	empty(".keyrack-import-12.db", "a suffix")
	empty("keyrack-import-12", "no dot")
	empty("12345", "only digits")
	must(t, os.WriteFile(filepath.Join(dir, ".keyrack-import-77"), []byte("someone's"), 0o600))
	kept[".keyrack-import-77"] = "not empty"
	empty("other", "a file with a second name")
	must(t, os.Link(filepath.Join(dir, "other"), filepath.Join(dir, ".keyrack-import-88")))
	kept[".keyrack-import-88"] = "a second name of another file"
	must(t, os.Mkdir(filepath.Join(dir, ".keyrack-import-99"), 0o700))
	kept[".keyrack-import-99"] = "a directory"
	must(t, syscall.Mkfifo(filepath.Join(dir, ".keyrack-import-98"), 0o600))
	kept[".keyrack-import-98"] = "a named pipe"
	target := filepath.Join(t.TempDir(), "target")
	must(t, os.WriteFile(target, nil, 0o600))
	must(t, os.Symlink(target, filepath.Join(dir, ".keyrack-import-55")))
	kept[".keyrack-import-55"] = "a symbolic link"
	must(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, ".keyrack-import-66")))
	kept[".keyrack-import-66"] = "a dangling symbolic link"
	if os.Getuid() == 0 {
		empty(".keyrack-import-44", "another user's")
		must(t, os.Lchown(filepath.Join(dir, ".keyrack-import-44"), 4242, 4242))
	}

	reopen(t, s, clk)
	for _, path := range gone {
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the leftover spool %s is still there after an open (%v)", path, err)
		}
	}
	for name, what := range kept {
		if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
			t.Errorf("the open removed %s, %s: %v", name, what, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, ".keyrack-import-77")); err != nil || string(b) != "someone's" {
		t.Errorf("%s now holds %q (%v)", ".keyrack-import-77", b, err)
	}
	if _, err := os.Stat(target); err != nil {
		t.Errorf("the symbolic link's target: %v", err)
	}
}

func TestAnOpenRefusedByTheLockRemovesNoSpool(t *testing.T) {
	s, clk := openTest(t)
	path := leftoverSpool(t, filepath.Dir(s.Path()), ".keyrack-import-42")
	if _, err := Open(s.Path(), Options{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("an open that did not get the lock removed %s: %v", path, err)
	}
	reopen(t, s, clk)
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the open that holds the lock left %s (%v)", path, err)
	}
}

func TestASpoolWhoseNameASweepTookIsStillUsable(t *testing.T) {
	dir := t.TempDir()
	f, err := os.CreateTemp(dir, spoolPattern) // newSpool's first step
	must(t, err)
	defer f.Close()
	sweepSpools(dir) // another database's open, in the same directory
	if _, err := os.Lstat(f.Name()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the sweep left %s (%v)", f.Name(), err)
	}
	if err := unlinkSpool(f); err != nil {
		t.Fatalf("unlinking a spool a sweep unlinked first: %v", err)
	}
	if _, err := f.WriteString("sealed"); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	if _, err := f.ReadAt(b, 0); err != nil || string(b) != "sealed" {
		t.Fatalf("read back %q, %v", b, err)
	}
}
