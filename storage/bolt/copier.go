package bolt

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/keyrack/keyrack/memlimit"
	bbolt "go.etcd.io/bbolt"
)

// copier is CompactTo's copy of the file into dst, one transaction of
// about txBytes at a time. Each one reads the file in a read transaction
// of its own, and none is open while copied runs: bbolt remaps the file
// only with no read transaction open, so a commit that grows the file
// beyond its map would wait for a read transaction as long as the copy.
// A later read transaction may see a record changed since the first one;
// Copy.CatchUp applies every commit since the first, so the copy ends as
// the file does whichever version of a record it read.
type copier struct {
	file    *bbolt.DB
	src     *bbolt.Tx // the file's open read transaction, nil between two
	srcGen  int       // counts src: a cursor of an earlier one is no longer valid
	reread  bool      // tx was committed: read on in a new src
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

// copyHeadroom is how near its goal the heap may grow before the copy
// collects (release): a few of its transactions' allocations.
const copyHeadroom = 96 << 20

// copyAll copies the file into dst, reading it first in src (which it
// ends), and calls copied (if not nil) after each top-level bucket.
func copyAll(src *bbolt.Tx, dst *bbolt.DB, txBytes int, copied func(bucket []byte)) (err error) {
	c := &copier{file: src.DB(), src: src, dst: dst, txBytes: txBytes}
	defer func() {
		if c.src != nil {
			c.src.Rollback()
		}
	}()
	if c.tx, err = dst.Begin(true); err != nil {
		return err
	}
	for _, name := range bucketNames(src) {
		// A bucket deleted since the first read transaction is left out:
		// CatchUp sees it gone.
		if b := c.src.Bucket([]byte(name)); b != nil {
			err = c.bucket(nil, []byte(name), b)
		}
		if err == nil {
			c.src.Rollback()
			if c.src = nil; copied != nil {
				copied([]byte(name))
			}
			err = c.begin()
		}
		if err != nil {
			if c.tx != nil {
				c.tx.Rollback()
			}
			return err
		}
	}
	return c.tx.Commit()
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

// bucket creates src's bucket name under the bucket at parent (the top
// level if none) with src's sequence, and copies what src holds, reading
// on at the same place when the file's read transaction changes.
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
	gen, srcGen := -1, c.srcGen
	cur := src.Cursor()
	for k, v := cur.First(); k != nil; {
		var last []byte // k, kept for when src changes: its page may go
		if v == nil {
			last = bytes.Clone(k)
			err = c.bucket(path, last, cur.Bucket().Bucket(k))
		} else if err = c.room(len(k) + len(v)); err == nil {
			if gen != c.gen {
				dst, gen = c.open(path), c.gen
			}
			err = dst.Put(k, c.keep(v))
		}
		if err == nil && c.reread {
			last = bytes.Clone(k)
			err = c.begin()
		}
		if err != nil {
			return err
		}
		if srcGen == c.srcGen {
			k, v = cur.Next()
			continue
		}
		if src = c.srcBucket(path); src == nil {
			return fmt.Errorf("%w: bucket %q was deleted", ErrBehind, path)
		}
		cur, srcGen = src.Cursor(), c.srcGen
		if k, v = cur.Seek(last); bytes.Equal(k, last) {
			k, v = cur.Next()
		}
	}
	return nil
}

// begin ends the file's read transaction, if one is open, and begins
// another.
func (c *copier) begin() (err error) {
	if c.src != nil {
		c.src.Rollback()
	}
	c.src, err = c.file.Begin(false)
	c.srcGen, c.reread = c.srcGen+1, false
	return err
}

// srcBucket returns the bucket at path in src, or nil.
func (c *copier) srcBucket(path [][]byte) *bbolt.Bucket {
	b := c.src.Bucket(path[0])
	for _, name := range path[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(name)
	}
	return b
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
// would take it over txBytes; the copy then reads on in a new src once
// the record at hand is copied.
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
	err := c.tx.Commit()
	if err == nil {
		c.tx, err = c.dst.Begin(true)
	}
	if err != nil {
		c.tx = nil
		return err
	}
	c.size, c.gen, c.values, c.reread = n, c.gen+1, c.values[:0], true
	return nil
}

// release drops the file's pages read so far from resident memory (they
// stay in the page cache): src keeps its map in place meanwhile.
//
// The copy allocates fast, so it also collects here, on its own time, when
// the heap nears the collector's goal, rather than let the collector's
// assists fall on /auth (memlimit.CollectNearGoal).
func (c *copier) release() error {
	c.read = 0
	memlimit.CollectNearGoal(copyHeadroom)
	return dontNeed(c.file, c.src.Size())
}
