package storage

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/keyrack/keyrack/clock"
)

// CheckFile runs Check on the database at path without writing to it: no
// expiry is applied, nothing is created, not even a master key. With the
// master key (KEYRACK_MASTER_KEY or <db>.key) every sealed secret is
// opened; without one (a backup copied alone) the rest is still checked.
// A file too damaged to open is reported as the one problem found.
func CheckFile(path string, lockTimeout time.Duration) (Report, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return Report{}, coded(ErrNoDatabase, "no database at %s", path)
	case err != nil:
		return Report{}, err
	case info.Size() == 0:
		return Report{Problems: []string{"the file is empty"}}, nil
	}
	s := &Store{core: &core{path: path, clock: clock.Real{}}}
	var notes []string
	for _, file := range []string{path, path + ".key"} {
		if err := checkPrivate(file); err != nil {
			notes = append(notes, err.Error()+"; keyrack refuses to open it until then")
		}
	}
	key, err := loadMasterKey(path+".key", false, nil)
	if err == nil {
		var sl *sealer
		if sl, err = newSealer(key, nil); err == nil {
			s.sealer.Store(sl)
		}
	}
	if err != nil {
		notes = append(notes, fmt.Sprintf("sealed secrets not opened: %v", err))
	}
	if lockTimeout == 0 {
		lockTimeout = time.Second
	}
	if err := s.openFile(lockTimeout); err != nil {
		if !errors.Is(err, ErrDamaged) {
			return Report{}, err
		}
		return Report{Problems: []string{s.health.cause}, Notes: notes}, nil
	}
	defer s.kv.Close()
	r := s.Check()
	r.Notes = append(notes, r.Notes...)
	return r, nil
}
