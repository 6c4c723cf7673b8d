// Package storage keeps keyrack's data on a kv.Backend: one bbolt file
// (the default) or an etcd cluster. Every operation is one transaction
// that writes the change, its audit record and the mail it causes
// together; the caches and subscribers follow the backend's changes.
package storage

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
)

var (
	bucketMeta     = []byte("meta")
	bucketKeys     = []byte("keys")     // id → keyRecord JSON
	bucketHash     = []byte("hash")     // sha256(token) → id
	bucketExpiry   = []byte("expiry")   // big-endian unix nanos ‖ id → nothing
	bucketExpiring = []byte("expiring") // id → big-endian unix nanos
	bucketAudit    = []byte("audit")    // big-endian seq → AuditEntry JSON
	bucketMembers  = []byte("members")  // email → Member JSON
	bucketOutbox   = []byte("outbox")   // big-endian seq → Notification JSON
	allBuckets     = [][]byte{bucketMeta, bucketKeys, bucketHash, bucketExpiry, bucketExpiring, bucketAudit, bucketMembers, bucketOutbox, bucketPending, bucketDrafts, bucketOrder, bucketDisabled, bucketIdle, bucketUsage, bucketUsageGone, bucketLastUsed, bucketActive, bucketSSHKeys}

	metaSchema   = []byte("schema")
	metaOrg      = []byte("organization")
	metaKeyCheck = []byte("keycheck")
)

// Options configure Open. Zero values give the defaults.
type Options struct {
	Org         string      // organization name, used only when the database is created
	Clock       clock.Clock // default clock.Real
	Rand        io.Reader   // default crypto/rand; read under a lock, so need not be safe for concurrent use
	LockTimeout time.Duration
	Actor       string // who creates the organization on first open
	// MustExist refuses to create a database: a missing file is ErrNoDatabase.
	MustExist bool
	// MasterKey seals the secrets (32 bytes). OpenBackend needs it; Open
	// reads KEYRACK_MASTER_KEY or <db>.key without it.
	MasterKey []byte
	// Name says which database errors are about, for OpenBackend (an
	// etcd URL); Open names the file.
	Name string
	// Node names this process among those sharing the database, for its
	// "last used" entries (default LocalNode).
	Node string
}

// Store is an open keyrack database. Fenced copies share its core.
type Store struct {
	*core
	fence kv.Fence // what every write of this handle is fenced by (zero: nothing)
}

// core is the state of an open database, shared by its Store handles.
type core struct {
	kv     kv.Backend      // where the data lives
	file   *kvbolt.Backend // the bbolt backend, nil on etcd: checks, compaction, backups
	path   string          // the bbolt file, "" on etcd
	name   string          // the database as messages name it: path or Options.Name
	node   string          // Options.Node: names this process's last-used entries
	org    string
	clock  clock.Clock
	rand   io.Reader
	sealer atomic.Pointer[sealer] // a rekey swaps it under writeMu; loaded without (preparedKey.current)
	// keyFromEnv: the master key came from KEYRACK_MASTER_KEY, not <db>.key.
	keyFromEnv bool

	writeMu     sync.Mutex          // orders this process's commits
	lockClock   clock.Clock         // times the holds of writeMu: clock.Real, a fake in tests
	heldHook    func(time.Duration) // when set (benchmarks), learns each commit's hold of writeMu; set and read under it
	dbMu        sync.RWMutex        // held to read db; Compact swaps db under it (compact.go)
	compactMu   sync.Mutex          // one compaction at a time, its wipe included; taken before writeMu
	beforeWipe  func()              // when set (tests), runs after a compaction's swap, before the wipe
	copied      func(bucket []byte) // when set (tests), runs in a compaction's copy after each bucket
	health      health              // damage found in the file (damage.go)
	caches      caches
	feed        feed         // applies the backend's changes to caches and subscribers (feed.go)
	pendingMail atomic.Int64 // undelivered mails, counted once at open, then kept
	bulkEnded   atomic.Bool  // bulk work changed a good part of the keys since the last compaction (autocompact.go)
	seen        seenSource   // this process's /auth sightings (idle.go)
	reminders   reminderSource

	subMu  sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool

	created  bool   // this Open created the database
	lockInfo string // the <db>.lock-info this process wrote, if any
}

// DefaultPath returns $XDG_DATA_HOME/keyrack/keyrack.db (or ~/.local/share/…).
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find home directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "keyrack", "keyrack.db"), nil
}

// Open opens (or creates) the database at path. A second process fails
// within LockTimeout (default 1 s) with ErrInUse. Keys whose expiry has
// passed are retired before Open returns. The master key is
// opts.MasterKey, else KEYRACK_MASTER_KEY, else the file <path>.key (made
// with a new database).
func Open(path string, opts Options) (*Store, error) {
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(path)
	fresh := errors.Is(err, os.ErrNotExist)
	switch {
	case fresh && opts.MustExist:
		return nil, coded(ErrNoDatabase, "no database at %s", path)
	case err == nil && info.Size() == 0:
		// bbolt writes its first pages as it creates a file: an empty file
		// is someone else's, or a creation cut short, never a database.
		return nil, coded(ErrDamaged, "database %s is damaged: the file is empty; restore it from a backup (see README)", path)
	}
	if err := privateDataDir(path); err != nil {
		return nil, err
	}
	for _, file := range []string{path, path + ".key"} {
		if err := checkPrivate(file); err != nil {
			return nil, err
		}
	}
	key := opts.MasterKey
	if key == nil {
		if key, err = loadMasterKey(path+".key", fresh, opts.Rand); err != nil {
			return nil, err
		}
	}
	s, err := newStore(path, key, opts)
	if err != nil {
		return nil, err
	}
	s.path = path
	s.keyFromEnv = opts.MasterKey != nil || os.Getenv(MasterKeyEnv) != ""
	if err := s.openFile(opts.LockTimeout); err != nil {
		return nil, err
	}
	sweepSpools(filepath.Dir(path)) // under the lock: see sweepSpools
	return s, s.start(opts)
}

// OpenBackend opens the database held by b (etcd; Open is for a bbolt
// file), creating the organization, its Default key and the master key's
// check on the first open. Every later open verifies the check: a wrong
// opts.MasterKey is ErrMasterKey. The store owns b: Close, or a failed
// OpenBackend, closes it.
func OpenBackend(b kv.Backend, opts Options) (*Store, error) {
	opts, err := withDefaults(opts)
	if err == nil && opts.MasterKey == nil {
		err = coded(ErrMasterKey, "no master key: set %s or --master-key-file", MasterKeyEnv)
	}
	var s *Store
	if err == nil {
		s, err = newStore(cmp.Or(opts.Name, "on etcd"), opts.MasterKey, opts)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	s.kv, s.keyFromEnv = b, true
	return s, s.start(opts)
}

// withDefaults checks opts and fills in the defaults.
func withDefaults(opts Options) (Options, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader // safe for concurrent use
	} else {
		opts.Rand = &lockedReader{r: opts.Rand}
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = time.Second
	}
	org, err := model.ValidateName(opts.Org)
	if err != nil {
		return opts, fmt.Errorf("organization name: %w", err)
	}
	if opts.Org = org; org == "" {
		opts.Org = "My organization"
	}
	if opts.Actor == "" {
		opts.Actor = "keyrack"
	}
	return opts, nil
}

func newStore(name string, key []byte, opts Options) (*Store, error) {
	sl, err := newSealer(key, opts.Rand)
	if err != nil {
		return nil, coded(ErrMasterKey, "master key: %v", err)
	}
	c := &core{name: name, node: cmp.Or(opts.Node, LocalNode), clock: opts.Clock, lockClock: clock.Real{}, rand: opts.Rand, subs: map[*Subscription]struct{}{}}
	c.sealer.Store(sl)
	return &Store{core: c}, nil
}

// start runs the steps of an open on the backend; when one fails it
// closes the backend.
func (s *Store) start(opts Options) error {
	for _, step := range []func() error{s.cleanLeftovers, func() error { return s.init(opts) }, s.migrate, s.countPending, s.sendLeftoverDrafts, s.applyDueAtOpen} {
		if err := step(); err != nil {
			s.kv.Close()
			if damage := s.DamageErr(); damage != nil {
				return damage // said as it is, not inside what Open was doing
			}
			return err
		}
	}
	return nil
}

// applyDueAtOpen retires what fell due while nothing ran, so that no
// command shows a key past its expiry.
func (s *Store) applyDueAtOpen() error {
	_, err := s.ApplyDue(s.clock.Now())
	return err
}

// init creates the organization, the Default key and the master key's
// check on first open, and checks the master key on every open.
func (s *Store) init(opts Options) error {
	var org, check []byte
	read := func(tx kv.ReadTx) (err error) {
		org, check, err = orgAndCheck(tx)
		return err
	}
	err := s.read(read)
	if err == nil && org == nil && opts.MustExist {
		return coded(ErrNoDatabase, "no database at %s", s.name) // a mistyped etcd prefix
	}
	if err == nil && org == nil {
		if err = s.create(opts); err == nil {
			err = s.read(read) // as this open, or another process, created it
		}
	}
	if err != nil {
		return err
	}
	s.org = string(org)
	if _, err := s.sealer.Load().open("keycheck", check); err != nil && (s.file == nil || !s.finishRekey(check)) {
		if s.file == nil {
			return coded(ErrMasterKey, "master key does not match the database %s: check %s or --master-key-file", s.name, MasterKeyEnv)
		}
		return coded(ErrMasterKey, "master key does not match database %s: check %s or %s.key", s.path, MasterKeyEnv, s.path)
	}
	return nil
}

// orgAndCheck reads the organization's name and the master key's check
// (nil, nil before the first open).
func orgAndCheck(tx kv.ReadTx) (org, check []byte, err error) {
	if org, err = tx.Get(string(bucketMeta), metaOrg); err != nil || org == nil {
		return nil, nil, err
	}
	org = append([]byte(nil), org...)
	check, err = tx.Get(string(bucketMeta), metaKeyCheck)
	return org, append([]byte(nil), check...), err
}

// create writes a new database's organization, schema, master key check
// and Default key. Its transaction reads the organization first and writes
// nothing when it exists: of two nodes starting at once, one creates it
// and the other's retried transaction finds it.
func (s *Store) create(opts Options) error {
	check, err := s.sealer.Load().seal("keycheck", []byte("keyrack"))
	if err != nil {
		return err
	}
	s.org = opts.Org
	err = s.update(func(w *wtx) error {
		org, err := w.tx.Get(string(bucketMeta), metaOrg)
		if s.created = false; err != nil || org != nil {
			return err
		}
		meta := [][2][]byte{{metaSchema, encodeUint(schemaVersion)}, {metaOrg, []byte(opts.Org)}, {metaKeyCheck, check}}
		for _, m := range meta {
			if err := w.tx.Put(string(bucketMeta), m[0], m[1]); err != nil {
				return err
			}
		}
		if err := w.audit(opts.Actor, model.ActionOrganization, nil, opts.Org); err != nil {
			return err
		}
		key, _, err := w.createKey(opts.Actor, NewKey{Name: "Default", Permissions: model.AllPermissions()}, nil)
		if err != nil {
			return err
		}
		s.created = true
		return w.audit(opts.Actor, model.ActionCreate, &key, "the organization's first key")
	})
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	return nil
}

// Close closes the database and ends every subscription.
func (s *Store) Close() error {
	s.stopFeed()
	s.subMu.Lock()
	for sub := range s.subs {
		sub.end()
	}
	s.subs = map[*Subscription]struct{}{}
	s.closed = true
	s.subMu.Unlock()
	s.withdrawLockInfo()
	s.dbMu.RLock()
	defer s.dbMu.RUnlock()
	return s.kv.Close()
}

// Path returns the database file's path, "" on etcd.
func (s *Store) Path() string { return s.path }

// Organization returns the organization's name.
func (s *Store) Organization() string { return s.org }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.clock.Now() }

// Created reports whether this Open created the database.
func (s *Store) Created() bool { return s.created }

// Clock returns the clock the store uses.
func (s *Store) Clock() clock.Clock { return s.clock }
