package storage

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// scanDepth is how far a scan goes.
type scanDepth int

const (
	scanStructure scanDepth = iota // the file's size and pages, bbolt's check
	scanRecords                    // and keyrack's invariants (check.go)
	scanSecrets                    // and every sealed secret opened
)

// scan lists a file's problems, at most limit of them (0: all). Every step
// is guarded: a fault or panic becomes a problem, and once pages are found
// unreadable bbolt's own check is skipped (it runs in a goroutine of its
// own, where a fault could not be caught). withBolt runs bbolt's check,
// which needs writeMu held.
func (s *Store) scan(limit int, withBolt bool, depth scanDepth) *problemList {
	p := &problemList{limit: limit, secrets: depth >= scanSecrets && s.sealer.Load() != nil}
	invariants := depth >= scanRecords
	p.add(safely(s.checkSize))
	if p.full() {
		return p
	}
	if p.add(safely(s.readEveryPage)) > 0 {
		return p
	}
	if withBolt {
		p.add(safely(func() error {
			return s.file.DB().View(func(tx *bolt.Tx) error {
				for err := range tx.Check() {
					p.add(err)
				}
				return nil
			})
		}))
	}
	if invariants && !p.full() {
		p.add(safely(func() error { return s.file.DB().View(func(tx *bolt.Tx) error { return s.checkInvariants(tx, p) }) }))
	}
	return p
}

// fullVerifyLimit is the largest file whose every page is read before a
// store's first write. The full check reads the whole file (44 s and
// 1.2 GB at 1,000,000 keys), which a one-key command must not pay; a larger
// file gets the size check, which finds truncation, and `keyrack check`
// reads everything at any size.
const fullVerifyLimit = 64 << 20

// verifyStructure is the check before a store's first write (writeMu held).
func (s *Store) verifyStructure() error {
	if info, err := os.Stat(s.path); err == nil && info.Size() > fullVerifyLimit {
		if err := safely(s.checkSize); err != nil {
			return corrupt("%s", err)
		}
		return nil
	}
	if p := s.scan(1, true, scanStructure); len(p.list) > 0 {
		return corrupt("%s", p.list[0])
	}
	return nil
}

// problemList collects problems up to a limit.
type problemList struct {
	list    []string
	limit   int
	dropped int
	keys    int  // key records read by checkKeys
	secrets bool // checkKeys opens every sealed secret
}

// add records err (if any) and returns how many problems are recorded.
func (p *problemList) add(err error) int {
	if err == nil {
		return len(p.list)
	}
	if p.full() {
		p.dropped++
	} else {
		p.list = append(p.list, err.Error())
	}
	return len(p.list)
}

func (p *problemList) addf(format string, args ...any) { p.add(fmt.Errorf(format, args...)) }

func (p *problemList) full() bool { return p.limit > 0 && len(p.list) >= p.limit }

// safely runs fn, turning a panic or a memory fault into an error.
func safely(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("a page is unreadable: %v", r)
		}
	}()
	return fn()
}

// checkSize compares the file with the pages its header says it has: a
// truncated file would fault on its missing pages.
func (s *Store) checkSize() error {
	info, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	return s.file.DB().View(func(tx *bolt.Tx) error {
		if need := tx.Size(); info.Size() < need {
			return fmt.Errorf("the file is truncated: it has %d bytes, its pages need %d", info.Size(), need)
		}
		return nil
	})
}

// readEveryPage reads every page bbolt's check will read (branch and leaf
// pages, keys), so that a bad page faults here, where it is caught, rather
// than in the check's own goroutine.
func (s *Store) readEveryPage() error {
	return s.file.DB().View(func(tx *bolt.Tx) error {
		var sum byte
		var walk func(b *bolt.Bucket) error
		walk = func(b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				for _, c := range k { // bbolt's check reads keys and page headers, not values
					sum ^= c
				}
				if v == nil {
					if child := b.Bucket(k); child != nil {
						return walk(child)
					}
				}
				return nil
			})
		}
		err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
		runtime.KeepAlive(sum)
		return err
	})
}
