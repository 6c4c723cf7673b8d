package storage

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// RekeyOptions say how a new master key is announced.
type RekeyOptions struct {
	// Announce receives the new key (base64) before anything is
	// re-sealed; an error stops the rekey with nothing changed. When the
	// key came from KEYRACK_MASTER_KEY (KeyInEnvironment) no key file is
	// written: Announce is then the only way the key reaches the user.
	Announce func(newKey string) error
}

// KeyInEnvironment reports whether the master key came from
// KEYRACK_MASTER_KEY rather than the file <db>.key.
func (s *Store) KeyInEnvironment() bool { return s.keyFromEnv }

// Rekey re-seals every secret under a new master key, then compacts the
// file so no secret sealed under the old key is left in a free page. With
// a key file, the new key is written to <db>.key.new first and renamed
// over <db>.key once the secrets are re-sealed; the old key file is
// overwritten with zeros and removed. A crash between the two leaves
// both files, and the next Open finishes the swap. Writes wait meanwhile.
func (s *Store) Rekey(actor string, opts RekeyOptions) (Compacted, error) {
	if err := s.boltOnly("rekey", "an etcd database keeps the master key it was created with"); err != nil {
		return Compacted{}, err
	}
	if err := s.ensureCaches(); err != nil {
		return Compacted{}, err
	}
	s.compactMu.Lock() // before writeMu, as Compact takes them
	defer s.compactMu.Unlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	c, err := s.rekeyLocked(actor, opts)
	if err != nil {
		return c, fmt.Errorf("rekey %s: %w", s.path, err)
	}
	return c, nil
}

func (s *Store) rekeyLocked(actor string, opts RekeyOptions) (Compacted, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(s.rand, key); err != nil {
		return Compacted{}, err
	}
	next, err := newSealer(key, s.rand)
	if err != nil {
		return Compacted{}, err
	}
	encoded := base64.StdEncoding.EncodeToString(key)
	keyPath := s.path + ".key"
	if !s.keyFromEnv {
		if err := writeKeyFile(keyPath+".new", encoded); err != nil {
			return Compacted{}, err
		}
	}
	if opts.Announce != nil {
		if err := opts.Announce(encoded); err != nil {
			os.Remove(keyPath + ".new")
			return Compacted{}, err
		}
	}
	_, err = s.write(func(tx kv.Tx) error {
		w := &wtx{s: s, tx: tx, now: s.clock.Now().UTC().Round(0)}
		if err := s.reseal(tx, next); err != nil {
			return err
		}
		return w.audit(actor, model.ActionRekey, nil, "every secret re-sealed under a new master key")
	})
	if err != nil {
		os.Remove(keyPath + ".new")
		return Compacted{}, err
	}
	s.sealer.Store(next)
	if !s.keyFromEnv {
		if err := swapKeyFile(keyPath); err != nil {
			return Compacted{}, err
		}
	}
	return s.compactLocked()
}

// reseal opens every sealed secret (and the key check) with the current
// sealer and seals it again with next.
func (s *Store) reseal(tx kv.Tx, next *sealer) error {
	check, err := next.seal("keycheck", []byte("keyrack"))
	if err != nil {
		return err
	}
	if err := tx.Put(string(bucketMeta), metaKeyCheck, check); err != nil {
		return err
	}
	current := s.sealer.Load()
	return tx.Scan(kv.Range{Bucket: string(bucketKeys)}, false, func(k, v []byte) error {
		var rec keyRecord
		if err := decodeJSON(k, v, &rec); err != nil {
			return err
		}
		plain, err := current.open(rec.ID, rec.Sealed)
		if err != nil {
			return corrupt("key %s: %v", model.Printable(rec.ID), err)
		}
		if rec.Sealed, err = next.seal(rec.ID, plain); err != nil {
			return err
		}
		return putRecord(tx, bucketKeys, k, rec)
	})
}

// writeKeyFile writes a master key file (0600) and syncs it.
func writeKeyFile(path, encoded string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(encoded + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(path)
	}
	return err
}

// swapKeyFile puts <key>.new in place of key; the old key file is kept
// under <key>.old until it is wiped.
func swapKeyFile(keyPath string) error {
	if err := wipeLeftover(keyPath+".old", keyPath); err != nil { // from a swap cut short
		return err
	}
	if err := os.Link(keyPath, keyPath+".old"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(keyPath+".new", keyPath); err != nil {
		return err
	}
	if err := syncDir(keyPath); err != nil {
		return err
	}
	return wipe(keyPath + ".old")
}

// finishRekey completes a rekey cut short between the re-seal and the key
// swap: the database opens with <db>.key.new, not <db>.key. It reports
// whether it did.
func (s *Store) finishRekey(check []byte) bool {
	keyPath := s.path + ".key"
	b, err := os.ReadFile(keyPath + ".new")
	if err != nil {
		return false
	}
	key, err := decodeMasterKey(string(b))
	if err != nil {
		return false
	}
	next, err := newSealer(key, s.rand)
	if err != nil {
		return false
	}
	if _, err := next.open("keycheck", check); err != nil {
		return false
	}
	if err := swapKeyFile(keyPath); err != nil {
		return false
	}
	s.sealer.Store(next)
	return true
}
