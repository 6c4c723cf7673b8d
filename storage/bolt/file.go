package bolt

import (
	"bytes"
	"slices"
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

// CompactTo copies the file's live data into a new file at path: every
// bucket (nested ones too) with its sequence, every key and value, pages
// packed full, in transactions of about txBytes of keys and values; last
// runs in the final one. The copy is synced once, at the end, and returned
// ready to Swap in. Memory stays bounded on a file of any size: the heap
// holds one transaction (its values copied, so that its commit does not
// read the file again), and the file's pages are dropped from resident
// memory after every megabyte read (they stay in the page cache), so the
// map does not grow to the file's size; the copy is written, not mapped.
// The file's live pages are asked for ahead, in file order, so that a file
// that is not in the page cache is read in long requests instead of one
// page fault at a time. The caller keeps writes out until Swap: a commit
// after the copy's snapshot would be lost.
func (b *Backend) CompactTo(path string, txBytes int, last func(*bbolt.Tx) error) (*bbolt.DB, error) {
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	var dst *bbolt.DB
	err := b.db.View(func(src *bbolt.Tx) (err error) {
		// NoSync and NoGrowSync: nothing is synced until the copy is whole
		// (a copy cut short is thrown away), instead of a sync with every
		// transaction (each one grows the file). Mapped at the file's size
		// from the start: growing the map as the copy grows would remap
		// (and copy every node out of the map) again and again.
		dst, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true, NoGrowSync: true, InitialMmapSize: int(src.Size())})
		if err != nil {
			return err
		}
		prefetch(src, b.path, bucketNames(src))
		c := &copier{src: src, dst: dst, txBytes: txBytes}
		if c.tx, err = dst.Begin(true); err != nil {
			return err
		}
		err = src.ForEach(func(name []byte, b *bbolt.Bucket) error { return c.bucket(nil, name, b) })
		if err == nil {
			err = last(c.tx)
		}
		return c.commit(err)
	})
	if err == nil {
		err = dst.Sync()
	}
	if err != nil {
		if dst != nil {
			dst.Close()
		}
		return nil, err
	}
	dst.NoSync, dst.NoGrowSync = false, false
	return dst, nil
}

// bucketNames lists tx's top-level buckets.
func bucketNames(tx *bbolt.Tx) []string {
	var names []string
	tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		names = append(names, string(name))
		return nil
	})
	return names
}

// copier is CompactTo's copy: src's snapshot into dst, one transaction
// of about txBytes at a time.
type copier struct {
	src     *bbolt.Tx
	dst     *bbolt.DB
	tx      *bbolt.Tx // dst's open transaction
	txBytes int
	size    int    // bytes of keys and values put in tx
	gen     int    // counts tx: a bucket of an earlier one is no longer valid
	values  []byte // copies of the values put in tx, which its commit reads
	read    int    // bytes read from src since its pages were last dropped
}

// releaseBytes is how much the copy reads between two drops of the file's
// pages. A page fault maps the cached pages around it too (fault-around):
// over scattered leaves, a megabyte of records maps some 64 MB.
const releaseBytes = 1 << 20

// bucket creates src's bucket name under the bucket at parent (the top
// level if none) with src's sequence, and copies what src holds.
func (c *copier) bucket(parent [][]byte, name []byte, src *bbolt.Bucket) error {
	if err := c.room(len(name)); err != nil {
		return err
	}
	var created *bbolt.Bucket
	var err error
	if parent == nil {
		created, err = c.tx.CreateBucket(name)
	} else {
		created, err = c.open(parent).CreateBucket(name)
	}
	if err == nil {
		err = created.SetSequence(src.Sequence())
	}
	if err != nil {
		return err
	}
	path := append(slices.Clip(parent), name)
	var dst *bbolt.Bucket
	gen := -1
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			return c.bucket(path, k, src.Bucket(k))
		}
		if err := c.room(len(k) + len(v)); err != nil {
			return err
		}
		if gen != c.gen {
			dst, gen = c.open(path), c.gen
		}
		return dst.Put(k, c.keep(v))
	})
}

// open returns the bucket at path in the current transaction.
func (c *copier) open(path [][]byte) *bbolt.Bucket {
	b := c.tx.Bucket(path[0])
	for _, name := range path[1:] {
		b = b.Bucket(name)
	}
	b.FillPercent = 1.0 // keys come in order: pages packed full
	return b
}

// keep copies v for the transaction: bbolt reads a value again when it
// commits, and src's pages are dropped as the copy goes. The copies share
// one buffer of txBytes, reused by every transaction.
func (c *copier) keep(v []byte) []byte {
	if c.values == nil {
		c.values = make([]byte, 0, c.txBytes)
	}
	if len(c.values)+len(v) > cap(c.values) { // the first record of a transaction, over txBytes
		return bytes.Clone(v)
	}
	c.values = append(c.values, v...)
	return c.values[len(c.values)-len(v) : len(c.values) : len(c.values)]
}

// room commits the transaction and begins the next when n more bytes
// would take it over txBytes.
func (c *copier) room(n int) error {
	if c.read += n; c.read > releaseBytes {
		if err := c.release(); err != nil {
			return err
		}
	}
	if c.size+n <= c.txBytes || c.size == 0 {
		c.size += n
		return nil
	}
	if err := c.commit(nil); err != nil {
		return err
	}
	var err error
	if c.tx, err = c.dst.Begin(true); err != nil {
		return err
	}
	c.size, c.gen, c.values = n, c.gen+1, c.values[:0]
	return nil
}

// commit commits the transaction (rolls it back if err).
func (c *copier) commit(err error) error {
	if err != nil {
		c.tx.Rollback()
		return err
	}
	return c.tx.Commit()
}

// release drops the file's pages read so far from resident memory (they
// stay in the page cache): src's snapshot keeps its map in place meanwhile.
func (c *copier) release() error {
	c.read = 0
	return dontNeed(c.src.DB(), c.src.Size())
}

// Swap replaces the file by db (a compacted copy of it) and returns the
// previous one, which the caller closes. Revisions go on from the previous
// file's, so streams and loads that span the swap stay in order. The caller
// makes sure no transaction of its own is open.
func (b *Backend) Swap(db *bbolt.DB) (*bbolt.DB, error) {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.fileMu.Lock()
	defer b.fileMu.Unlock()
	last, err := lastTx(b.db)
	if err != nil {
		return nil, err
	}
	first, err := lastTx(db)
	if err != nil {
		return nil, err
	}
	previous := b.db
	b.offset += last - first
	b.db = db
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
