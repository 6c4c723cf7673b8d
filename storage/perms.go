package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrTooOpen refuses a database or master key file that group or others
// may read or write, as OpenSSH refuses such a private key.
var ErrTooOpen = &Error{Code: "too_open", Msg: "file permissions are too open"}

// checkPrivate refuses a file that group or others may access. A missing
// file is not an error.
func checkPrivate(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return coded(ErrTooOpen, "permissions %04o for %s are too open: it must not be accessible by group or others (chmod 600 %s)", perm, path, path)
	}
	return nil
}

// privateDataDir creates the directory of the database (0700) and, when
// it is keyrack's own data directory, takes group and others' access away
// from it. A directory named with --db elsewhere is the user's to set.
func privateDataDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	def, err := DefaultPath()
	if err != nil || filepath.Clean(filepath.Dir(def)) != filepath.Clean(dir) {
		return nil
	}
	info, err := os.Stat(dir)
	if err == nil && info.Mode().Perm() != 0o700 {
		err = os.Chmod(dir, 0o700)
	}
	if err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	return nil
}
