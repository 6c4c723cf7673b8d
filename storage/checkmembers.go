package storage

import (
	"encoding/json"
	"slices"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// checkMembers compares the SSH key index and the admins list with the
// members (a version 1 database gets them at its next open).
func checkMembers(tx *bolt.Tx, p *problemList) {
	idx := tx.Bucket(bucketSSHKeys)
	if !upgraded(tx) || idx == nil {
		return
	}
	var admins []string
	indexed := 0
	tx.Bucket(bucketMembers).ForEach(func(k, v []byte) error {
		var m model.Member
		if decodeJSON(k, v, &m) != nil {
			return nil // checkRecords reports it
		}
		for _, fp := range m.Fingerprints() {
			indexed++
			if string(idx.Get([]byte(fp))) != m.Email {
				p.addf("member %s: SSH key %s is not indexed to them", model.Printable(m.Email), fp)
			}
		}
		if m.Role == model.RoleAdmin {
			admins = append(admins, m.Email)
		}
		return nil
	})
	if n := idx.Stats().KeyN; n != indexed {
		p.addf("SSH key index: %d entries for %d member keys", n, indexed)
	}
	var listed []string // none before the first admin
	if v := tx.Bucket(bucketMeta).Get(metaAdmins); v != nil && json.Unmarshal(v, &listed) != nil || !slices.Equal(listed, admins) {
		p.addf("meta: the admins list disagrees with the members")
	}
}

// upgraded reports whether the database is at schema 2 or later, with the
// indexes that version added.
func upgraded(tx *bolt.Tx) bool {
	v := tx.Bucket(bucketMeta).Get(metaSchema)
	return len(v) == 8 && decodeUint(v) >= 2
}
