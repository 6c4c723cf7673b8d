package bolt

import (
	"errors"
	"fmt"

	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// ErrBehind says that a Copy cannot catch up with the file: the history no
// longer holds the commits since the copy began (too many of them, or too
// large), or a bucket it copied was deleted since (commits do not record
// that). Copy the file again, with commits held off.
var ErrBehind = errors.New("the copy cannot catch up with the file")

// Copy is a compacted copy of the file, made by CompactTo while commits
// went on. CatchUp brings it up to the file's last commit, Swap puts it in
// the file's place; Close lets go of what is left.
type Copy struct {
	b     *Backend
	db    *bbolt.DB // nil once swapped in
	rev   int64     // the revision the copy holds
	since *stream   // the commits after its first read of the file
}

// DB returns the copy's bbolt file (nil once swapped in or closed).
func (c *Copy) DB() *bbolt.DB { return c.db }

// CatchUp applies to the copy, in one transaction, every commit made
// since the copy began, and what commits carry no record of: buckets
// created since (with no key put), and every top-level bucket's sequence,
// copied from the file. last runs in that transaction after them. Commits
// wait for it; the caller keeps its own out from then until Swap, which
// refuses a copy that is behind. ErrBehind when the copy cannot catch up.
func (c *Copy) CatchUp(last func(*bbolt.Tx) error) error {
	b := c.b
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	defer c.since.Close()
	var commits []kv.Commit
	for {
		commit, ok, _, err := b.history.next(c.since)
		if errors.Is(err, kv.ErrCompacted) {
			return fmt.Errorf("%w: the history no longer holds the commits after revision %d", ErrBehind, c.rev)
		}
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		commits = append(commits, commit)
	}
	live, err := b.db.Begin(false)
	if err != nil {
		return b.mapClosed(err)
	}
	defer live.Rollback()
	err = c.db.Update(func(tx *bbolt.Tx) error {
		for _, commit := range commits {
			if err := replay(tx, commit.Changes); err != nil {
				return err
			}
		}
		if err := sameBuckets(live, tx); err != nil {
			return err
		}
		return last(tx)
	})
	if err != nil {
		return err
	}
	c.rev = b.offset + int64(live.ID())
	return nil
}

// replay applies one commit's changes to tx.
func replay(tx *bbolt.Tx, changes []kv.Change) error {
	for _, ch := range changes {
		b := tx.Bucket([]byte(ch.Bucket))
		var err error
		switch {
		case ch.Deleted && b == nil:
		case ch.Deleted:
			err = b.Delete(ch.Key)
		case b == nil:
			if b, err = tx.CreateBucket([]byte(ch.Bucket)); err == nil {
				err = b.Put(ch.Key, ch.Value)
			}
		default:
			err = b.Put(ch.Key, ch.Value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sameBuckets gives tx live's top-level buckets, with their sequences.
// A bucket of tx that live no longer has is ErrBehind: its deletion is in
// no commit. (One deleted and made again is not seen: nothing but tests
// deletes a bucket, and never while the store is open.)
func sameBuckets(live, tx *bbolt.Tx) error {
	err := tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		if live.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %q was deleted", ErrBehind, name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return live.ForEach(func(name []byte, lb *bbolt.Bucket) error {
		b, err := tx.CreateBucketIfNotExists(name)
		if err == nil {
			err = b.SetSequence(lb.Sequence())
		}
		return err
	})
}

// Close ends the copy: it closes its file unless it was swapped in (the
// caller removes it) and lets the commits kept for it go.
func (c *Copy) Close() error {
	c.since.Close()
	if c.db == nil {
		return nil
	}
	err := c.db.Close()
	c.db = nil
	return err
}
