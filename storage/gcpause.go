package storage

import "runtime/debug"

// pauseGC stops the garbage collector until the returned resume is
// called, for Preload from a file. A load from the mapped bbolt file
// allocates little beyond what the caches keep (at a million keys 410 MB,
// 350 MB of it kept), so collecting while the caches grow only marks them
// again and again: a quarter of the load's CPU. An etcd load decodes the
// client's responses, garbage as large as the caches, and keeps the
// collector. Only Preload pauses, before the process serves: a load in a
// running process (a lazy first one, or one after the change stream was
// lost) would leave every session's garbage uncollected for its length.
// The collector is left alone when it is already paused (another Preload,
// or GOGC=off), so that overlapping loads never leave it paused.
func (s *Store) pauseGC() (resume func()) {
	if s.file == nil {
		return func() {}
	}
	prev := debug.SetGCPercent(-1)
	return func() {
		if prev >= 0 {
			debug.SetGCPercent(prev)
		}
	}
}
