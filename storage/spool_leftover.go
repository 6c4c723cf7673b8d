package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// sweepSpools removes the spools that crashes left named in dir: a spool
// has a name only between its creation and its unlinking (newSpool), so
// a crash there leaves an empty file. Open calls it once bbolt's lock is
// held, so no process importing into this database can be creating one;
// a process importing into another database in dir may be, and loses
// nothing when its spool's name goes (unlinkSpool). Only an empty regular
// file of exactly a spool's name, owned by this user and with no other
// name, is removed; a symbolic link is never followed or removed. Any
// trouble leaves the file where it is: a leftover holds nothing, and
// must not stop the database from opening.
func sweepSpools(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	for {
		entries, err := d.ReadDir(256)
		for _, e := range entries {
			if !isSpoolName(e.Name()) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			if info, err := os.Lstat(path); err == nil && info.Mode().IsRegular() && info.Size() == 0 && ownLoneFile(info) {
				os.Remove(path) // unlink removes the name, never a link's target
			}
		}
		if err != nil { // io.EOF at the end
			return
		}
	}
}

// isSpoolName reports whether name is one os.CreateTemp gives for
// spoolPattern: its prefix and a random uint32 in decimal.
func isSpoolName(name string) bool {
	prefix, suffix, _ := strings.Cut(spoolPattern, "*")
	digits, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return false
	}
	if digits, ok = strings.CutSuffix(digits, suffix); !ok {
		return false
	}
	n, err := strconv.ParseUint(digits, 10, 32)
	return err == nil && strconv.FormatUint(n, 10) == digits
}

// unlinkSpool removes the name of a spool just created. A sweep of
// another process's Open may have removed it already, which is what this
// wanted.
func unlinkSpool(f *os.File) error {
	if err := os.Remove(f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ownLoneFile reports whether info is of a file this user owns and that
// has no other name.
func ownLoneFile(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid() && st.Nlink == 1
}
