package bolt

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	bbolt "go.etcd.io/bbolt"
)

// Release drops the file's pages from this process's resident memory; they
// stay in the kernel's page cache, so reading them again costs a minor
// fault, not a disk read. A long read of a large file (a listing of every
// key) calls it between pages of its reads, so that its RSS stays bounded
// instead of growing to the size of the file.
func (b *Backend) Release() error {
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	// Inside a read transaction bbolt cannot remap the file meanwhile.
	return b.db.View(func(tx *bbolt.Tx) error { return dontNeed(b.db, tx.Size()) })
}

// dontNeed drops the first size bytes of db's map from resident memory.
// The caller makes sure bbolt cannot remap the file meanwhile (an open
// transaction, or no other writer of a file nobody else uses).
func dontNeed(db *bbolt.DB, size int64) error {
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
	if errno != 0 {
		return errno
	}
	return nil
}

// ReleaseResidentOver drops the file's pages from resident memory in the
// middle of a write transaction, when more than limit bytes of the files
// this process maps are resident, for bulk work that reads pages at random
// places: its writer is the only one that remaps the file, so the map
// stays in place without a lock. Dropping costs more than the check: the
// pages read again fault in again, each with the 64 KB around it.
func (w *writeTx) ReleaseResidentOver(limit int64) error {
	if n, err := residentFiles(); err != nil || n <= limit {
		return err
	}
	return dontNeed(w.tx.DB(), w.tx.Size())
}

// residentFiles is how many bytes of the files this process maps are
// resident: /proc/self/statm's third field, in pages (the program's own
// code counts too).
func residentFiles() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, fmt.Errorf("/proc/self/statm: %d fields", len(f))
	}
	pages, err := strconv.ParseInt(f[2], 10, 64)
	return pages * int64(os.Getpagesize()), err
}
