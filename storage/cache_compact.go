package storage

import "runtime"

// compact rebuilds the caches from the entries they hold, as a load
// builds them: each entry copied into blocks of entries and its text into
// an arena, the trees loaded in order and the auth map sized for the keys
// there are. Caches patched through a bulk operation hold every entry it
// touched as an allocation of its own, maps grown for the keys that
// existed at its peak and trees of half-full nodes: at a million keys a
// rotation of every key left ~420 MB live where a load holds ~290 MB, and
// the collector lets the heap grow to twice what is live. It returns
// false when the caches are not loaded. Patches wait meanwhile (a second
// at a million keys); authentication reads the old caches until the new
// ones replace them. A subscriber's snapshot (a dashboard's) keeps the
// old entries until it takes the next one.
func (c *caches) compact() bool {
	c.writer.Lock()
	defer c.writer.Unlock()
	index, ok := c.current()
	if !ok {
		return false
	}
	var part loadPart
	var arena textArena
	index.byID.Scan(func(e *entry) bool {
		kept := part.slot()
		*kept = *e
		kept.text = arena.join([]string{e.text}, len(e.text))
		part.keep()
		return true
	})
	c.replace(buildCaches([]loadPart{part}))
	return true
}

// compactAfter rebuilds the caches (compact) after a bulk operation that
// changed n keys, when n is at least a quarter of the keys there are:
// below that, what the patches left behind is not worth a rebuild. The
// file is then worth compacting soon as well (RunAutoCompact).
func (s *Store) compactAfter(n int) {
	index, ok := s.caches.current()
	if ok && n > chunkMax && 4*n >= index.byID.Len() {
		// The bulk work's garbage goes first, so that the new caches take
		// its place rather than grow the heap past it: at a million keys
		// serve's RSS peaked at 1.1 GB at the end of an import without.
		runtime.GC()
		s.caches.compact()
		s.bulkEnded.Store(true)
	}
}
