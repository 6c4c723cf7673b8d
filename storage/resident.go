package storage

import "runtime/debug"

// ReleaseResident drops the database file's pages from this process's
// resident memory (bbolt maps the file, and every page read stays counted
// in RSS until then); nothing to do on etcd. A listing of every key calls
// it every few thousand keys, so that its memory does not grow with the
// number of keys. The pages stay in the kernel's cache.
func (s *Store) ReleaseResident() error {
	if s.file == nil {
		return nil
	}
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.file.Release()
}

// giveBack returns what a load or a bulk operation leaves behind: the
// file's pages it read, and its garbage, collected and handed back to the
// system (in the background: a collection of the whole heap) rather than
// kept resident until the heap grows into it again.
func (s *Store) giveBack() {
	_ = s.ReleaseResident()
	go debug.FreeOSMemory()
}

// giveBackAfter gives back what a bulk operation of n keys left behind,
// when it was larger than one chunk: a chunk's garbage is not worth a
// collection of the whole heap. With rebuild set, and when it changed a
// good part of the keys, the caches are rebuilt first (compactAfter).
func (s *Store) giveBackAfter(n int, rebuild bool) {
	if n <= chunkMax {
		return
	}
	if rebuild {
		s.compactAfter(n)
	}
	s.giveBack()
}
