package storage

import (
	"context"
	"runtime/debug"
	"time"

	"github.com/keyrack/keyrack/clock"
)

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

// ReleaseEvery drops the file's pages from resident memory every d until
// ctx ends (serve runs it). What reads the file at random places (the
// last-used flush, usage, dashboards' reveals, SSH commands) would
// otherwise keep its pages counted in serve's RSS for good, 64 KB of them
// for each page read (the kernel maps the pages around it as well): at a
// million keys 140–190 MB of the file was resident beside the heap under
// 200 /auth requests a second.
func (s *Store) ReleaseEvery(ctx context.Context, c clock.Clock, d time.Duration) {
	for clock.Wait(ctx, c, d, nil) {
		_ = s.ReleaseResident() // failing to costs memory, not correctness
	}
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
// collection of the whole heap. With scattering set (the operation left
// key records scattered for good: an import, an expiry pass, a rotation
// whose grace period is over, not one whose expiry pass is still to come)
// and when it changed at least a quarter of the keys, serve's
// auto-compaction is told to compact soon (RunAutoCompact): bbolt leaves
// such pages half full and scattered.
//
// The caches are not rebuilt after bulk work. They once were, to pack the
// entries that patches had allocated one by one, but with the change
// history bounded (storage/bolt/history.go) a rebuild at a million keys
// saved 12 MB after a rotation and nothing after an import, while it held
// the old and the new caches at once: 300 MB more heap for a moment, and
// /auth's slowest answers of the rotation trial.
func (s *Store) giveBackAfter(n int, scattering bool) {
	if n <= chunkMax {
		return
	}
	if index, ok := s.caches.current(); scattering && ok && 4*n >= index.byID.Len() {
		s.bulkEnded.Store(true)
	}
	s.giveBack()
}
