package storage

import (
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database to w: one read
// transaction, so writes go on meanwhile and the copy is the database as
// of one commit. Free pages, where bbolt leaves what it no longer uses
// (sealed secrets of destroyed keys among them), are written as zeros. The
// master key is not in the copy: a restore is this file put back beside
// its key (see README). It returns the bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	if err := s.boltOnly("backup", "use etcdctl snapshot save"); err != nil {
		return 0, err
	}
	// writeMu, then dbMu: the order Compact takes them in.
	s.writeMu.Lock()
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	var tx *bolt.Tx
	var free map[int64]bool
	err := s.guard(func() (err error) {
		tx, free, err = s.beginWithFreePages()
		return err
	})
	s.writeMu.Unlock() // the freelist is read; commits may go on
	var n int64
	if err == nil {
		err = s.guard(func() (err error) {
			defer tx.Rollback()
			n, err = tx.WriteTo(&zeroFree{w: w, free: free, pageSize: int64(s.file.DB().Info().PageSize)})
			return err
		})
	}
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// beginWithFreePages starts a read transaction and lists the pages free
// in it. The caller holds writeMu, so no commit changes the freelist while
// it is read.
func (s *Store) beginWithFreePages() (*bolt.Tx, map[int64]bool, error) {
	tx, err := s.file.DB().Begin(false)
	if err != nil {
		return nil, nil, err
	}
	done := false
	defer func() {
		if !done { // an error, or a damaged page that panicked
			tx.Rollback()
		}
	}()
	free := map[int64]bool{}
	for id := 2; ; id++ {
		info, err := tx.Page(id)
		if err != nil {
			return nil, nil, err
		}
		if info == nil { // past the last page
			done = true
			return tx, free, nil
		}
		if info.Type == "free" {
			free[int64(id)] = true
		}
	}
}

// zeroFree passes a database file through, writing zeros in place of the
// free pages.
type zeroFree struct {
	w        io.Writer
	free     map[int64]bool
	pageSize int64
	off      int64
	zeros    []byte
}

func (z *zeroFree) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		page, within := z.off/z.pageSize, z.off%z.pageSize
		chunk := p[:min(int64(len(p)), z.pageSize-within)]
		out := chunk
		if z.free[page] {
			if len(z.zeros) < len(chunk) {
				z.zeros = make([]byte, z.pageSize)
			}
			out = z.zeros[:len(chunk)]
		}
		if _, err := z.w.Write(out); err != nil {
			return written, err
		}
		written += len(chunk)
		z.off += int64(len(chunk))
		p = p[len(chunk):]
	}
	return written, nil
}
