package storage

import (
	"encoding/json"
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// schemaVersion 2 added the active list and its count (lastactive.go),
// the SSH key index and the admins list (memberindex.go). Version 1
// databases may also lack the order and pending indexes.
const schemaVersion = 2

// indexEntry is one record of an index the migration builds.
type indexEntry struct {
	bucket     []byte
	key, value []byte
}

// migrate brings a database an older version wrote up to schemaVersion:
// it builds every index from the records, in as few transactions as the
// backend allows, the last of which sets the version. It writes nothing
// to an up-to-date database. A database a newer version wrote is refused.
func (s *Store) migrate() error {
	if s.file != nil {
		if err := s.ensureBuckets(); err != nil {
			return err
		}
	}
	var version uint64
	err := s.read(func(tx kv.ReadTx) (err error) {
		version, err = schemaOf(tx)
		return err
	})
	switch {
	case err != nil:
		return err
	case version == schemaVersion:
		return nil
	case version > schemaVersion || version == 0:
		return fmt.Errorf("database %s has an unknown schema version (%d): a newer keyrack wrote it", s.name, version)
	}
	entries, err := s.indexEntries()
	if err == nil {
		err = s.writeIndexes(entries)
	}
	if err != nil {
		return fmt.Errorf("upgrade database %s: %w", s.name, err)
	}
	return nil
}

// schemaOf reads the schema version (0: none).
func schemaOf(tx kv.ReadTx) (uint64, error) {
	v, err := tx.Get(string(bucketMeta), metaSchema)
	if err != nil || len(v) != 8 {
		return 0, err
	}
	return decodeUint(v), nil
}

// indexEntries reads, at one revision, every index entry the records
// imply, the meta records that count them, and the new schema version last.
func (s *Store) indexEntries() ([]indexEntry, error) {
	var out []indexEntry
	err := s.read(func(tx kv.ReadTx) error {
		out = nil
		active := uint64(0)
		err := tx.Scan(kv.Range{Bucket: string(bucketKeys)}, false, func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			id := append([]byte(nil), k...)
			out = append(out, indexEntry{bucketOrder, placeKey(rec.Place), id})
			if isActive(rec) {
				out = append(out, indexEntry{bucketActive, id, nil})
				active++
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Scan(kv.Range{Bucket: string(bucketOutbox)}, false, func(k, v []byte) error {
			if stateOf(v) != model.MailSent {
				out = append(out, indexEntry{bucketPending, append([]byte(nil), k...), nil})
			}
			return nil
		})
		if err != nil {
			return err
		}
		var admins []string
		err = tx.Scan(kv.Range{Bucket: string(bucketMembers)}, false, func(k, v []byte) error {
			var m model.Member
			if err := decodeJSON(k, v, &m); err != nil {
				return err
			}
			for _, fp := range m.Fingerprints() {
				out = append(out, indexEntry{bucketSSHKeys, []byte(fp), []byte(m.Email)})
			}
			if m.Role == model.RoleAdmin {
				admins = append(admins, m.Email)
			}
			return nil
		})
		if err != nil {
			return err
		}
		list, err := json.Marshal(admins)
		out = append(out, indexEntry{bucketMeta, metaActive, encodeUint(active)},
			indexEntry{bucketMeta, metaAdmins, list},
			indexEntry{bucketMeta, metaSchema, encodeUint(schemaVersion)})
		return err
	})
	return out, err
}

// writeIndexes writes entries in order, each transaction as large as the
// backend allows. Each checks that no other process finished the
// migration meanwhile (etcd: two nodes starting at once); if one did, the
// rest is left to it.
func (s *Store) writeIndexes(entries []indexEntry) error {
	per := len(entries)
	if ops := s.kv.Limits().Ops; ops > 0 {
		per = ops - 8 // room for the version's read
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for from := 0; from < len(entries); from += per {
		done := false
		_, err := s.write(func(tx kv.Tx) error {
			version, err := schemaOf(tx)
			if done = version == schemaVersion; err != nil || done {
				return err
			}
			for _, e := range entries[from:min(from+per, len(entries))] {
				if err := tx.Put(string(e.bucket), e.key, e.value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || done {
			return err
		}
	}
	return nil
}
