// Package bolt is the embedded kv.Backend: one bbolt file, one process.
// Buckets are top-level bbolt buckets and sequences are bbolt's own, so the
// file reads the same with or without this package.
package bolt

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Options configure Open. Zero values give the defaults.
type Options struct {
	// Timeout bounds the wait for another process's file lock (default
	// 1 s); then Open fails with an error wrapping bbolt's ErrTimeout.
	Timeout time.Duration
	// History is how many commits the change history may hold for streams
	// that lag (default 1024), HistoryBytes how much memory they may take
	// (default 64 MiB); the newest commit is always kept. See history.
	History, HistoryBytes int
	// MmapSize is the address space mapped at open (default 1 GiB; the file
	// does not grow with it). While the file fits, a commit never waits for
	// open read transactions (a long load, a dashboard's read).
	MmapSize int
}

// Backend is a kv.Backend on one bbolt file.
type Backend struct {
	writeMu sync.Mutex   // orders commits with their place in the history
	fileMu  sync.RWMutex // held to use db and offset; Swap replaces them
	db      *bbolt.DB
	path    string // db's name; a Swap keeps it (the copy is renamed to it)
	offset  int64  // added to bbolt's transaction ids: revisions survive a Swap
	history *history
	leaders *elections
}

// Open opens (or creates) the bbolt file at path with mode 0600.
func Open(path string, opts Options) (*Backend, error) {
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	if opts.MmapSize == 0 {
		opts.MmapSize = 1 << 30
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.Timeout, InitialMmapSize: opts.MmapSize})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	b, err := Wrap(db, opts)
	if err != nil {
		db.Close()
	}
	return b, err
}

// Wrap makes a Backend of a bbolt file its caller opened (storage opens
// the file itself, to tell a damaged file from a bug). Close closes db.
func Wrap(db *bbolt.DB, opts Options) (*Backend, error) {
	if opts.History == 0 {
		opts.History = 1024
	}
	if opts.HistoryBytes == 0 {
		opts.HistoryBytes = 64 << 20
	}
	rev, err := lastTx(db)
	if err != nil {
		return nil, err
	}
	return &Backend{db: db, path: db.Path(), history: newHistory(rev, opts.History, opts.HistoryBytes), leaders: newElections()}, nil
}

// lastTx is the id of db's last committed transaction.
func lastTx(db *bbolt.DB) (int64, error) {
	var id int64
	err := db.View(func(tx *bbolt.Tx) error {
		id = int64(tx.ID())
		return nil
	})
	return id, err
}

// View runs fn in one bbolt read transaction.
func (b *Backend) View(ctx context.Context, fn func(kv.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	return b.mapClosed(b.db.View(func(btx *bbolt.Tx) error {
		return fn(&readTx{tx: btx, offset: b.offset})
	}))
}

// Update runs fn in one bbolt write transaction, then records the commit
// for the change streams. bbolt serialises writers, so fn runs once.
func (b *Backend) Update(ctx context.Context, fn func(kv.Tx) error) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	var w *writeTx
	var rev int64
	err := b.db.Update(func(btx *bbolt.Tx) error {
		w, rev = newWriteTx(btx, b.offset), b.offset+int64(btx.ID())
		if err := fn(w); err != nil {
			return err
		}
		return b.leaders.check(w.fences)
	})
	if err != nil {
		return 0, b.mapClosed(err)
	}
	b.history.add(kv.Commit{Revision: rev, Changes: w.commitChanges()})
	return rev, nil
}

// Limits: bbolt bounds a transaction only by memory.
func (b *Backend) Limits() kv.Limits { return kv.Limits{} }

// Close ends every stream and leadership, then closes the file.
func (b *Backend) Close() error {
	b.history.close()
	b.leaders.close()
	b.fileMu.RLock()
	defer b.fileMu.RUnlock()
	return b.db.Close()
}

func (b *Backend) mapClosed(err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return kv.ErrClosed
	}
	return err
}
