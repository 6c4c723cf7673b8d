package bolt

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// DB returns the bbolt file, for what only bbolt can do: its consistency
// check, compaction and backups. Writes to it bypass the change stream.
func (b *Backend) DB() *bbolt.DB {
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	return b.db
}

// CompactTo copies the file's live data into a new file at path while
// commits go on: every bucket (nested ones too) with its sequence, every
// key and value, pages packed full, in transactions of about txBytes of
// keys and values, each read from a read transaction of its own (see
// copier). copied, if not nil, runs after each top-level bucket is copied,
// with no read transaction of the file open. The copy is synced and
// returned with every commit since its first read transaction kept for it:
// Copy.CatchUp applies them. Memory stays bounded on a file of any size:
// the heap holds one transaction (its values copied, so that its commit
// does not read the file again), and the file's pages are dropped from
// resident memory after every megabyte read (they stay in the page cache),
// so the map does not grow to the file's size; the copy is written, not
// mapped. The file's live pages are asked for ahead, in file order, so
// that a file that is not in the page cache is read in long requests
// instead of one page fault at a time.
func (b *Backend) CompactTo(path string, txBytes int, copied func(bucket []byte)) (*Copy, error) {
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	src, c, err := b.snapshot()
	if err != nil {
		return nil, b.mapClosed(err)
	}
	defer src.Rollback() // copyAll ends it, unless the copy fails to start
	// NoSync and NoGrowSync: nothing is synced until the copy is whole (a
	// copy cut short is thrown away), instead of a sync with every
	// transaction (each one grows the file). Mapped at the file's size from
	// the start: growing the map as the copy grows would remap (and copy
	// every node out of the map) again and again.
	c.db, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true, NoGrowSync: true, InitialMmapSize: int(src.Size())})
	if err == nil {
		prefetch(src, b.path, bucketNames(src))
		err = copyAll(src, c.db, txBytes, copied)
	}
	if err == nil {
		err = c.db.Sync()
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	c.db.NoSync, c.db.NoGrowSync = false, false
	return c, nil
}

// snapshot begins the copy's first read transaction of the file and keeps
// the commits after it for the copy, both between two commits.
func (b *Backend) snapshot() (*bbolt.Tx, *Copy, error) {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	src, err := b.db.Begin(false)
	if err != nil {
		return nil, nil, err
	}
	rev, _ := (&readTx{tx: src, offset: b.offset}).Revision()
	s, err := b.history.open(rev)
	if err != nil {
		src.Rollback()
		return nil, nil, err
	}
	return src, &Copy{b: b, rev: rev, since: s}, nil
}

// Swap replaces the file by c, a compacted copy of it caught up with its
// last commit (Copy.CatchUp), and returns the previous file, which the
// caller closes. It refuses a copy that is behind: the commits it lacks
// would be lost. Revisions go on from the previous file's, so streams and
// loads that span the swap stay in order. The caller makes sure no
// transaction of its own is open.
func (b *Backend) Swap(c *Copy) (*bbolt.DB, error) {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.fileMu.Lock()
	defer b.fileMu.Unlock()
	last, err := lastTx(b.db)
	if err != nil {
		return nil, err
	}
	if rev := b.offset + last; rev != c.rev {
		return nil, fmt.Errorf("swap: the copy holds revision %d, the file %d", c.rev, rev)
	}
	first, err := lastTx(c.db)
	if err != nil {
		return nil, err
	}
	previous := b.db
	b.offset += last - first
	b.db, c.db = c.db, nil
	return previous, nil
}

// Raw returns the bbolt transaction under a transaction of this backend,
// or nil for another backend's.
func Raw(tx kv.ReadTx) *bbolt.Tx {
	switch t := tx.(type) {
	case *readTx:
		return t.tx
	case *writeTx:
		return t.tx
	}
	return nil
}
