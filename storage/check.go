package storage

import (
	"bytes"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// Report is what `keyrack check` found.
type Report struct {
	Problems []string // empty when the database is sound
	More     int      // problems found beyond those listed
	Notes    []string // what could not be checked, and why
	Keys     int      // key records read
	Secrets  bool     // the sealed secrets were opened (a master key was at hand)
}

// maxProblems bounds a report: a badly damaged file would list thousands.
const maxProblems = 50

// Check runs bbolt's consistency check and keyrack's own (the hash index
// against the keys, the expiry index against the expiring keys, an active
// key, every sealed secret opening to its hash, audit and outbox records
// that decode) and reports every problem. It changes nothing. Writes wait
// while it runs.
func (s *Store) Check() Report {
	if err := s.boltOnly("check", "use etcdctl endpoint health and etcdctl check perf"); err != nil {
		return Report{Notes: []string{err.Error()}}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	p := s.scan(maxProblems, true, scanSecrets)
	return Report{Problems: p.list, More: p.dropped, Keys: p.keys, Secrets: p.secrets}
}

// checkInvariants adds keyrack's problems in tx to p.
func (s *Store) checkInvariants(tx *bolt.Tx, p *problemList) error {
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil && !addedLater(name) {
			p.addf("bucket %q is missing", name)
		}
	}
	if p.full() || len(p.list) > 0 && tx.Bucket(bucketKeys) == nil {
		return nil
	}
	s.checkMeta(tx, p)
	s.checkKeys(tx, p)
	checkIndexes(tx, p)
	checkMembers(tx, p)
	checkRecords[model.AuditEntry](tx, bucketAudit, "audit record", p)
	checkRecords[model.Notification](tx, bucketOutbox, "outbox mail", p)
	checkRecords[model.Member](tx, bucketMembers, "member", p)
	return nil
}

func (s *Store) checkMeta(tx *bolt.Tx, p *problemList) {
	m := tx.Bucket(bucketMeta)
	if v := m.Get(metaSchema); len(v) != 8 || decodeUint(v) == 0 || decodeUint(v) > schemaVersion {
		p.addf("meta: unknown schema version %x", v)
	}
	if _, err := model.ValidateName(string(m.Get(metaOrg))); err != nil || len(m.Get(metaOrg)) == 0 {
		p.addf("meta: the organization name is missing or not printable")
	}
	if sl := s.sealer.Load(); sl != nil {
		if _, err := sl.open("keycheck", m.Get(metaKeyCheck)); err != nil {
			p.addf("meta: the master key check does not open with this master key (wrong key, or the check is damaged)")
		}
	}
}

// checkKeys reads every key record: it decodes under its own id, its hash
// is in the hash index, its secret opens to a token of that hash, and at
// least one key is active.
func (s *Store) checkKeys(tx *bolt.Tx, p *problemList) {
	hashes, expiring := tx.Bucket(bucketHash), tx.Bucket(bucketExpiring)
	upgraded := upgraded(tx) // a version 1 database gets its active list at its next open
	active := 0
	tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
		p.keys++
		var rec keyRecord
		if err := decodeJSON(k, v, &rec); err != nil {
			p.addf("key %q: the record does not decode", model.Printable(string(k)))
			return nil
		}
		id := model.Printable(string(k))
		if rec.ID != string(k) {
			p.addf("key %s: the record is stored under another id (%q)", id, model.Printable(rec.ID))
		}
		if len(rec.Hash) != 32 {
			p.addf("key %s: the token hash is %d bytes, want 32", id, len(rec.Hash))
		} else if got := hashes.Get(rec.Hash); !bytes.Equal(got, k) {
			p.addf("key %s: the hash index does not point to it", id)
		}
		if p.secrets {
			s.checkSecret(rec, p)
		}
		if d := tx.Bucket(bucketDisabled); d != nil && rec.Disabled != (d.Get(k) != nil) {
			p.addf("key %s: the disabled list disagrees with the key", id)
		}
		if a := tx.Bucket(bucketActive); a != nil && upgraded && isActive(rec) != (a.Get(k) != nil) {
			p.addf("key %s: the active list disagrees with the key", id)
		}
		if rec.ExpiresAt.IsZero() {
			if !rec.Disabled {
				active++
			}
			if expiring.Get(k) != nil {
				p.addf("key %s: active, but listed as expiring", id)
			}
		} else {
			if tx.Bucket(bucketExpiry).Get(expiryKey(rec.ExpiresAt, rec.ID)) == nil {
				p.addf("key %s: expiring, but missing from the expiry index", id)
			}
			if !bytes.Equal(expiring.Get(k), expiryKey(rec.ExpiresAt, rec.ID)[:8]) {
				p.addf("key %s: expiring, but the expiring list disagrees on when", id)
			}
		}
		return nil
	})
	if active == 0 {
		p.addf("no active key: at least one key without an expiry must exist")
	}
	if v := tx.Bucket(bucketMeta).Get(metaActive); upgraded && (len(v) != 8 || decodeUint(v) != uint64(active)) {
		p.addf("meta: the count of active keys is %x, want %d", v, active)
	}
}

// checkSecret opens a key's sealed token and compares it with the hash.
func (s *Store) checkSecret(rec keyRecord, p *problemList) {
	plain, err := s.sealer.Load().open(rec.ID, rec.Sealed)
	if err != nil {
		p.addf("key %s: the sealed token does not open with this master key", model.Printable(rec.ID))
		return
	}
	tok, err := model.ParseToken(string(plain))
	if err != nil {
		p.addf("key %s: the sealed token is not a valid token", model.Printable(rec.ID))
		return
	}
	if h := tok.Hash(); !bytes.Equal(h[:], rec.Hash) {
		p.addf("key %s: the sealed token does not match its hash", model.Printable(rec.ID))
	}
}

// checkIndexes looks for index entries without their key.
func checkIndexes(tx *bolt.Tx, p *problemList) {
	keys := tx.Bucket(bucketKeys)
	tx.Bucket(bucketHash).ForEach(func(h, id []byte) error {
		var rec keyRecord
		if found, err := boltRecord(keys, id, &rec); err != nil || !found || !bytes.Equal(rec.Hash, h) {
			p.addf("hash index: entry %x points to %q, which does not have that hash", h, model.Printable(string(id)))
		}
		return nil
	})
	tx.Bucket(bucketExpiry).ForEach(func(k, _ []byte) error {
		if len(k) <= 8 {
			p.addf("expiry index: malformed entry %x", k)
			return nil
		}
		var rec keyRecord
		if found, err := boltRecord(keys, k[8:], &rec); err != nil || !found || rec.ExpiresAt.IsZero() ||
			!bytes.Equal(expiryKey(rec.ExpiresAt, rec.ID), k) {
			p.addf("expiry index: entry for %q does not match an expiring key", model.Printable(string(k[8:])))
		}
		return nil
	})
	tx.Bucket(bucketExpiring).ForEach(func(id, at []byte) error {
		var rec keyRecord
		if found, err := boltRecord(keys, id, &rec); err != nil || !found || rec.ExpiresAt.IsZero() || len(at) != 8 {
			p.addf("expiring list: entry for %q does not match an expiring key", model.Printable(string(id)))
		}
		return nil
	})
}

// boltRecord decodes the record under key in b into v; false when there is none.
func boltRecord(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decodeJSON(key, data, v)
}

// checkRecords reports the records of a bucket that do not decode.
func checkRecords[T any](tx *bolt.Tx, bucket []byte, what string, p *problemList) {
	tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		var rec T
		if err := decodeJSON(k, v, &rec); err != nil {
			p.addf("%s %x does not decode", what, k)
		}
		return nil
	})
}

// addedLater reports whether bucket name came after the first version:
// an older database lacks it until its next open adds it, and is not damaged.
func addedLater(name []byte) bool {
	for _, b := range [][]byte{bucketMeta, bucketKeys, bucketHash, bucketExpiry, bucketExpiring, bucketAudit, bucketMembers, bucketOutbox} {
		if bytes.Equal(b, name) {
			return false
		}
	}
	return true
}
