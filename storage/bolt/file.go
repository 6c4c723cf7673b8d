package bolt

import (
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
