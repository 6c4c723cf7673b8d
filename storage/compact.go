package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	bolt "go.etcd.io/bbolt"
)

// compactTxSize bounds one transaction of the copy, so a large database
// does not need its whole size in memory.
const compactTxSize = 16 << 20

// Compacted is what Compact did.
type Compacted struct {
	Before, After int64 // file sizes in bytes
}

// Compact rewrites the database without its free pages, where bbolt
// leaves the records it no longer uses, sealed secrets of expired and
// deleted keys among them. The live data is copied into <db>.compact
// while writes go on; then, with writes held, the copy is caught up with
// the commits made meanwhile, synced, and renamed over the database; the
// old file is overwritten with zeros before it is removed. Writes wait for
// the catch-up and the swap, not for the copy nor the zeros (but for a
// second copy if bulk work during the first left more than the history
// keeps to catch up with); reads and authentication (from memory) go on,
// and pause only for the swap. Secrets destroyed during the copy stay in
// the new file's free pages and count as waiting for the next compaction.
// The caches are loaded first only if something uses them (serve preloads
// them): keyrack compact does not hold every key in memory.
func (s *Store) Compact() (Compacted, error) {
	if err := s.boltOnly("compact", "use etcdctl defrag"); err != nil {
		return Compacted{}, err
	}
	if s.cachesWanted() { // /auth must not load them mid-way
		if err := s.ensureCaches(); err != nil {
			return Compacted{}, err
		}
	}
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	c, err := s.compactSwap(false)
	if err == nil {
		if s.beforeWipe != nil {
			s.beforeWipe()
		}
		err = wipe(s.path + ".old")
	}
	if err != nil {
		return c, fmt.Errorf("compact %s: %w", s.path, err)
	}
	return c, nil
}

// compactLocked is Compact for a caller holding compactMu and writeMu.
func (s *Store) compactLocked() (Compacted, error) {
	c, err := s.compactSwap(true)
	if err != nil {
		return c, err
	}
	return c, wipe(s.path + ".old")
}

// compactSwap copies the database into <db>.compact, renames the copy over
// it and swaps it in, leaving the old file at <db>.old for the caller to
// wipe. compactMu is held, and writeMu if held is set; otherwise writeMu
// is taken only to check the file first and for the catch-up and swap.
func (s *Store) compactSwap(held bool) (Compacted, error) {
	var c Compacted
	lock, unlock := s.writeMu.Lock, s.writeMu.Unlock
	if held {
		lock, unlock = func() {}, func() {}
	}
	lock()
	err := s.verifyOnce()
	unlock()
	if err != nil {
		return c, err
	}
	if err := s.cleanLeftovers(); err != nil {
		return c, err
	}
	if info, err := os.Stat(s.path); err == nil {
		c.Before = info.Size()
	}
	tmp, old := s.path+".compact", s.path+".old"
	cp, destroyedBefore, err := s.copyFile(tmp)
	if err != nil {
		os.Remove(tmp)
		return c, err
	}
	lock()
	defer unlock()
	err = s.catchUp(cp, destroyedBefore)
	if errors.Is(err, kvbolt.ErrBehind) { // copy again, writes held
		cp.Close()
		os.Remove(tmp)
		if cp, destroyedBefore, err = s.copyFile(tmp); err == nil {
			err = s.catchUp(cp, destroyedBefore)
		}
	}
	if err == nil {
		err = os.Link(s.path, old) // the old file keeps a name until it is wiped
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err == nil {
		err = syncDir(s.path)
	}
	if err != nil {
		if cp != nil {
			cp.Close()
		}
		os.Remove(tmp)
		os.Remove(old)
		return c, err
	}
	s.dbMu.Lock()
	previous, err := s.file.Swap(cp)
	s.dbMu.Unlock()
	if err != nil { // the file in use gets its name back
		cp.Close()
		if rerr := os.Rename(old, s.path); rerr == nil {
			syncDir(s.path)
		}
		return c, err
	}
	if err := previous.Close(); err != nil {
		return c, err
	}
	if info, err := os.Stat(s.path); err == nil {
		c.After = info.Size()
	}
	return c, nil
}

// copyFile copies the database into tmp (writes may go on), and returns
// the count of destroyed secrets read before it began.
func (s *Store) copyFile(tmp string) (*kvbolt.Copy, int, error) {
	destroyed, err := s.DestroyedSecrets()
	if err != nil {
		return nil, 0, err
	}
	var cp *kvbolt.Copy
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	err = s.guard(func() (err error) {
		cp, err = s.file.CompactTo(tmp, compactTxSize, s.copied)
		return err
	})
	return cp, destroyed, err
}

// catchUp brings the copy up to the file's last commit (writeMu held).
// Its count of destroyed secrets becomes those destroyed since the copy
// began, before: the copy may have read their records before they were
// destroyed, and the catch-up's deletions left them in its free pages.
func (s *Store) catchUp(cp *kvbolt.Copy, before int) error {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.guard(func() error {
		return cp.CatchUp(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if since := decodeDestroyed(meta.Get(metaDestroyed)) - before; since > 0 {
				return meta.Put(metaDestroyed, encodeUint(uint64(since)))
			}
			return meta.Delete(metaDestroyed)
		})
	})
}

// metaDestroyed counts the secrets destroyed since the last compaction:
// they wait in free pages until Compact runs.
var metaDestroyed = []byte("destroyed")

// noteDestroyed counts one more destroyed secret waiting for compaction.
// etcd has no free pages of keyrack's to wipe (its own compaction and
// defrag are the operator's), and one counter every deletion rewrote
// would make concurrent deletions conflict, so only a bbolt file counts.
func (w *wtx) noteDestroyed() error {
	if w.s.file == nil {
		return nil
	}
	n, err := destroyed(w.tx)
	if err != nil {
		return err
	}
	return w.tx.Put(string(bucketMeta), metaDestroyed, encodeUint(uint64(n+1)))
}

// destroyed reads the count of destroyed secrets.
func destroyed(tx kv.ReadTx) (int, error) {
	v, err := tx.Get(string(bucketMeta), metaDestroyed)
	return decodeDestroyed(v), err
}

// decodeDestroyed decodes the stored count of destroyed secrets.
func decodeDestroyed(v []byte) int {
	if len(v) != 8 {
		return 0
	}
	return int(decodeUint(v))
}

// DestroyedSecrets returns how many secrets were destroyed (keys expired
// or deleted) since the last compaction: their sealed bytes may still be
// in the file's free pages.
func (s *Store) DestroyedSecrets() (int, error) {
	n := 0
	err := s.read(func(tx kv.ReadTx) (err error) {
		n, err = destroyed(tx)
		return err
	})
	return n, err
}

// wipe overwrites a file with zeros, syncs it and removes it. A missing
// file is not an error.
func wipe(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err == nil {
		zeros := make([]byte, 1<<20)
		for left := info.Size(); left > 0 && err == nil; left -= int64(len(zeros)) {
			_, err = f.Write(zeros[:min(left, int64(len(zeros)))])
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Remove(path)
	}
	if err == nil {
		err = syncDir(path)
	}
	if err != nil {
		return fmt.Errorf("wipe %s: %w", path, err)
	}
	return nil
}

// cleanLeftovers wipes what a compaction cut short left next to the file:
// <db>.compact, a copy, and <db>.old, the previous file with the destroyed
// secrets in its free pages. Open runs it too (the file's lock keeps other
// processes out), for the next compaction may be far off: serve's waits
// for secrets destroyed in the new file.
func (s *Store) cleanLeftovers() error {
	if s.file == nil {
		return nil
	}
	for _, leftover := range []string{s.path + ".compact", s.path + ".old"} {
		if err := wipeLeftover(leftover, s.path); err != nil {
			return err
		}
	}
	return nil
}

// wipeLeftover wipes what a compaction cut short left at path, unless it
// is a second name of the live file (the compaction stopped between the
// link and the rename): that loses only its name, not its bytes.
func wipeLeftover(path, live string) error {
	leftover, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if current, err := os.Stat(live); err == nil && os.SameFile(leftover, current) {
		if err := os.Remove(path); err != nil {
			return err
		}
		return syncDir(path)
	}
	return wipe(path)
}

// syncDir makes a rename or removal in path's directory durable.
func syncDir(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
