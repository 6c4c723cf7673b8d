package storage

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
