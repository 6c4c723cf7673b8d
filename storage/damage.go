package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/keyrack/keyrack/model"
	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// corruption is an error found in the data itself (a record that does not
// decode, an index entry of the wrong size): the file is damaged.
type corruption struct{ what string }

func (c *corruption) Error() string { return c.what }

func corrupt(format string, args ...any) error {
	return &corruption{what: fmt.Sprintf(format, args...)}
}

// health remembers whether a store has found its file damaged, and whether
// the file passed its structure check before the first write.
type health struct {
	mu       sync.Mutex
	err      error         // ErrDamaged, said in full
	cause    string        // what was found
	damaged  chan struct{} // closed when err is set
	verified bool          // under writeMu
}

// Damaged is closed once the store has found its file damaged; from then
// on every operation fails with ErrDamaged. Long-running processes (serve,
// the dashboard) stop on it.
func (s *Store) Damaged() <-chan struct{} {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return s.health.channel()
}

// channel returns the damaged channel, made on first use (h.mu held).
func (h *health) channel() chan struct{} {
	if h.damaged == nil {
		h.damaged = make(chan struct{})
	}
	return h.damaged
}

// DamageErr returns the error that marked the store damaged, or nil.
func (s *Store) DamageErr() error {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return s.health.err
}

// markDamaged records the first damage found and returns the error every
// operation returns from now on.
func (s *Store) markDamaged(what string) error {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if s.health.err == nil {
		s.health.cause = model.Printable(what)
		s.health.err = coded(ErrDamaged, "database %s is damaged: %s; restore it from a backup (see README)", s.path, model.Printable(what))
		close(s.health.channel())
	}
	return s.health.err
}

// write runs fn in a write transaction, guarded. The first write of a
// store checks the file's structure first, so a damaged file is never
// written to. The caller holds writeMu.
func (s *Store) write(fn func(tx kv.Tx) error) (int64, error) {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	if err := s.verifyOnce(); err != nil {
		return 0, err
	}
	var rev int64
	err := s.guard(func() (err error) {
		rev, err = s.kv.Update(context.Background(), fn)
		return err
	})
	return rev, err
}

// read runs fn in a read transaction of the backend, guarded.
func (s *Store) read(fn func(tx kv.ReadTx) error) error {
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.guard(func() error { return s.kv.View(context.Background(), fn) })
}

// verifyOnce checks the file's structure before the store's first write
// (writeMu held).
func (s *Store) verifyOnce() error {
	if !s.health.verified && s.file != nil {
		if err := s.guard(s.verifyStructure); err != nil {
			return err
		}
		s.health.verified = true
	}
	return nil
}

// guard runs one bbolt call. A damaged file shows as a panic inside bbolt
// (a bad page), a memory fault (a page beyond the end of a truncated file),
// a bbolt error or a record that does not decode; each becomes ErrDamaged.
// A panic on a file whose check finds nothing wrong is a bug, not damage,
// and is raised again. Only a bbolt file is guarded: on etcd there is no
// file of keyrack's to be damaged, and errors come back as they are.
func (s *Store) guard(run func() error) (err error) {
	if s.file == nil && s.kv != nil {
		return run()
	}
	if err := s.DamageErr(); err != nil {
		return err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			err = s.damageOf(err)
			return
		}
		if s.kv == nil { // bbolt.Open itself panicked: nothing more to read
			err = s.markDamaged(fmt.Sprint(r))
			return
		}
		// Without writeMu bbolt's own check is not safe; the pages and
		// keyrack's invariants (not the secrets: too slow to wait for)
		// tell damage from a bug well enough.
		p := s.scan(1, false, scanRecords)
		if len(p.list) == 0 {
			panic(r)
		}
		cause := fmt.Sprintf("%v (%s)", r, p.list[0])
		if strings.Contains(p.list[0], fmt.Sprint(r)) {
			cause = p.list[0] // the scan tripped on the same thing
		}
		err = s.markDamaged(cause)
	}()
	return run()
}

// damageOf turns an error that shows damage into ErrDamaged.
func (s *Store) damageOf(err error) error {
	var c *corruption
	switch {
	case err == nil:
		return nil
	case errors.As(err, &c):
		return s.markDamaged(c.what)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return s.markDamaged(err.Error())
	}
	return err
}

// openFile opens the bbolt file. A file bbolt cannot read, or shorter than
// its pages need, is damaged; a lock held elsewhere is ErrInUse.
func (s *Store) openFile(lockTimeout time.Duration) error {
	if cut := truncation(s.path); cut != "" {
		return s.markDamaged(cut)
	}
	var db *bolt.DB
	err := s.guard(func() (err error) {
		db, err = bolt.Open(s.path, 0o600, &bolt.Options{Timeout: lockTimeout})
		return err
	})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return coded(ErrInUse, "database %s is in use by %s", s.path, describeHolder(s.path+lockInfoSuffix, s.clock.Now()))
	case errors.Is(err, ErrDamaged):
		return err
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("open database %s: %w", s.path, err)
	case err != nil:
		return s.markDamaged(err.Error())
	}
	if s.file, err = kvbolt.Wrap(db, kvbolt.Options{}); err != nil {
		db.Close()
		return s.markDamaged(err.Error())
	}
	s.kv = s.file
	if err := safely(s.checkSize); err != nil {
		db.Close()
		return s.markDamaged(err.Error())
	}
	return nil
}
