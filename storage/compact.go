package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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
// deleted keys among them. The live data is copied into <db>.compact,
// synced, and renamed over the database; the old file is overwritten with
// zeros before it is removed. Writes wait for the copy, not for the
// zeros; reads and authentication (from memory) go on, and pause only for
// the swap. The caches are loaded first only if something uses them (serve
// preloads them): keyrack compact does not hold every key in memory.
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
	s.writeMu.Lock()
	c, err := s.compactSwap()
	s.writeMu.Unlock()
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
	c, err := s.compactSwap()
	if err != nil {
		return c, err
	}
	return c, wipe(s.path + ".old")
}

// compactSwap copies the database into <db>.compact, renames the copy over
// it and swaps it in, leaving the old file at <db>.old for the caller to
// wipe. compactMu and writeMu are held.
func (s *Store) compactSwap() (Compacted, error) {
	var c Compacted
	if err := s.verifyOnce(); err != nil {
		return c, err
	}
	tmp, old := s.path+".compact", s.path+".old"
	if err := s.cleanLeftovers(); err != nil {
		return c, err
	}
	if info, err := os.Stat(s.path); err == nil {
		c.Before = info.Size()
	}
	var dst *bolt.DB
	s.dbMu.RLock()
	err := s.guard(func() (err error) {
		dst, err = s.file.CompactTo(tmp, compactTxSize, func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Delete(metaDestroyed)
		})
		return err
	})
	s.dbMu.RUnlock()
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
		if dst != nil {
			dst.Close()
		}
		os.Remove(tmp)
		os.Remove(old)
		return c, err
	}
	s.dbMu.Lock()
	previous, err := s.file.Swap(dst)
	s.dbMu.Unlock()
	if err != nil {
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
	if err != nil || len(v) != 8 {
		return 0, err
	}
	return int(decodeUint(v)), nil
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
