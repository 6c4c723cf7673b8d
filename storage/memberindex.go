package storage

import (
	"slices"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
	"golang.org/x/crypto/ssh"
)

// Members are read by key, never listed inside a write transaction: the
// sshkeys index finds the owner of an SSH key, and meta's admins list says
// who gets the mail.
var (
	bucketSSHKeys = []byte("sshkeys") // SHA256 fingerprint → email
	metaAdmins    = []byte("admins")  // JSON array of the admins' emails, sorted
)

// getMember reads one member by email.
func getMember(tx kv.ReadTx, email string) (model.Member, bool, error) {
	var m model.Member
	found, err := getRecord(tx, bucketMembers, []byte(email), &m)
	return m, found, err
}

// ownerOf finds the member holding a public key, whatever the options of
// their line.
func ownerOf(tx kv.ReadTx, pub ssh.PublicKey) (model.Member, bool, error) {
	email, err := tx.Get(string(bucketSSHKeys), []byte(ssh.FingerprintSHA256(pub)))
	if err != nil || email == nil {
		return model.Member{}, false, err
	}
	m, found, err := getMember(tx, string(email))
	if err != nil || !found {
		return model.Member{}, false, err
	}
	_, holds := m.AuthorizedKey(pub)
	return m, holds, nil
}

// putMember writes m over old (nil old: a new member; nil m: old is
// removed), keeping the SSH key index and the admins list in step.
func (w *wtx) putMember(old, m *model.Member) error {
	var before, after []string
	var email string
	wasAdmin, isAdmin := false, false
	if old != nil {
		before, email, wasAdmin = old.Fingerprints(), old.Email, old.Role == model.RoleAdmin
	}
	if m != nil {
		after, email, isAdmin = m.Fingerprints(), m.Email, m.Role == model.RoleAdmin
	}
	for _, fp := range before {
		if !slices.Contains(after, fp) {
			if err := w.tx.Delete(string(bucketSSHKeys), []byte(fp)); err != nil {
				return err
			}
		}
	}
	for _, fp := range after {
		if !slices.Contains(before, fp) {
			if err := w.tx.Put(string(bucketSSHKeys), []byte(fp), []byte(email)); err != nil {
				return err
			}
		}
	}
	if wasAdmin != isAdmin {
		if err := w.setAdmin(email, isAdmin); err != nil {
			return err
		}
	}
	if m == nil {
		return w.tx.Delete(string(bucketMembers), []byte(email))
	}
	return putRecord(w.tx, bucketMembers, []byte(email), m)
}

// setAdmin adds email to the admins list or takes it out.
func (w *wtx) setAdmin(email string, admin bool) error {
	admins, err := readAdmins(w.tx)
	if err != nil {
		return err
	}
	i, listed := slices.BinarySearch(admins, email)
	switch {
	case admin && !listed:
		admins = slices.Insert(admins, i, email)
	case !admin && listed:
		admins = slices.Delete(admins, i, i+1)
	}
	return putRecord(w.tx, bucketMeta, metaAdmins, admins)
}

// readAdmins returns the admins' emails, sorted.
func readAdmins(tx kv.ReadTx) ([]string, error) {
	var admins []string
	_, err := getRecord(tx, bucketMeta, metaAdmins, &admins)
	return admins, err
}
