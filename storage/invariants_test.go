package storage

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// checkInvariants verifies what no crash may break: the indexes match the
// keys exactly, an active key exists, and every rotation's new key is
// either present or its later removal is audited.
func checkInvariants(t testing.TB, s *Store) {
	t.Helper()
	err := s.file.DB().View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(bucketKeys)
		hashes := tx.Bucket(bucketHash)
		expiry := tx.Bucket(bucketExpiry)
		expiring := tx.Bucket(bucketExpiring)
		order := tx.Bucket(bucketOrder)
		active, nExpiring, enabled := 0, 0, 0
		disabled := tx.Bucket(bucketDisabled)
		err := keys.ForEach(func(k, _ []byte) error {
			var rec keyRecord
			if _, err := getJSON(keys, k, &rec); err != nil {
				return err
			}
			if got := hashes.Get(rec.Hash); string(got) != rec.ID {
				t.Errorf("key %s: hash index points to %q", rec.ID, got)
			}
			if got := order.Get(placeKey(rec.Place)); string(got) != rec.ID {
				t.Errorf("key %s: order index points to %q", rec.ID, got)
			}
			if rec.Disabled != (disabled.Get(k) != nil) {
				t.Errorf("key %s: disabled %v, but the disabled list disagrees", rec.ID, rec.Disabled)
			}
			if isActive(rec) != (tx.Bucket(bucketActive).Get(k) != nil) {
				t.Errorf("key %s: active %v, but the active list disagrees", rec.ID, isActive(rec))
			}
			if rec.ExpiresAt.IsZero() {
				active++
				if !rec.Disabled {
					enabled++
				}
				if expiring.Get(k) != nil {
					t.Errorf("active key %s is in the expiring bucket", rec.ID)
				}
				return nil
			}
			nExpiring++
			if expiry.Get(expiryKey(rec.ExpiresAt, rec.ID)) == nil {
				t.Errorf("expiring key %s missing from the expiry index", rec.ID)
			}
			if !bytes.Equal(expiring.Get(k), expiryKey(rec.ExpiresAt, rec.ID)[:8]) {
				t.Errorf("expiring key %s: expiring bucket disagrees", rec.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n := hashes.Stats().KeyN; n != active+nExpiring {
			t.Errorf("hash index has %d entries for %d keys", n, active+nExpiring)
		}
		if n := order.Stats().KeyN; n != active+nExpiring {
			t.Errorf("order index has %d entries for %d keys", n, active+nExpiring)
		}
		if n := expiry.Stats().KeyN; n != nExpiring {
			t.Errorf("expiry index has %d entries for %d expiring keys", n, nExpiring)
		}
		if n := expiring.Stats().KeyN; n != nExpiring {
			t.Errorf("expiring bucket has %d entries for %d expiring keys", n, nExpiring)
		}
		if enabled == 0 {
			t.Error("no enabled active key")
		}
		if n := tx.Bucket(bucketActive).Stats().KeyN; n != enabled {
			t.Errorf("active list has %d entries for %d active keys", n, enabled)
		}
		if v := tx.Bucket(bucketMeta).Get(metaActive); len(v) != 8 || decodeUint(v) != uint64(enabled) {
			t.Errorf("active keys counted %x, want %d", v, enabled)
		}
		return checkRotationsRecorded(t, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkRotationsRecorded(t testing.TB, tx *bolt.Tx) error {
	audit := tx.Bucket(bucketAudit)
	removed := map[string]bool{}
	var newIDs []string
	err := audit.ForEach(func(k, _ []byte) error {
		var e model.AuditEntry
		if _, err := getJSON(audit, k, &e); err != nil {
			return err
		}
		switch e.Action {
		case model.ActionDelete, model.ActionExpire, model.ActionRetireIdle:
			removed[e.KeyID] = true
		case model.ActionRotate:
			removed[e.KeyID] = true
			newIDs = append(newIDs, replacement(e.Detail))
		case model.ActionScheduleRot:
			newIDs = append(newIDs, replacement(e.Detail))
		}
		return nil
	})
	for _, id := range newIDs {
		if tx.Bucket(bucketKeys).Get([]byte(id)) == nil && !removed[id] {
			t.Errorf("rotation's new key %s is neither stored nor audited as removed", id)
		}
	}
	return err
}

func replacement(detail string) string {
	rest, _ := strings.CutPrefix(detail, "replaced by ")
	id, _, _ := strings.Cut(rest, " ")
	return strings.TrimSuffix(id, ";")
}

// mailKinds maps the audited actions that mail to their notification.
var mailKinds = map[string]model.NotificationKind{
	model.ActionCreate: model.NotifyCreated, model.ActionRotate: model.NotifyRotated,
	model.ActionScheduleRot: model.NotifyRotationScheduled, model.ActionExpire: model.NotifyExpired, model.ActionDelete: model.NotifyDeleted,
	model.ActionDisable: model.NotifyDisabled, model.ActionEnable: model.NotifyEnabled,
	model.ActionExpiry: model.NotifyExpiryChanged, model.ActionRetireIdle: model.NotifyRetiredIdle,
	model.ActionRemind: model.NotifyReminder,
}

// checkMailMatchesAudit verifies that mail and audit log tell the same
// story: per kind, the keys the mails cover (one for a single mail, Count
// for a bulk one) equal the audited operations since the first admin, and
// every key a mail names was audited. Bulk mails still being gathered
// count too. It returns the number of mailing operations.
func checkMailMatchesAudit(t testing.TB, s *Store) int {
	t.Helper()
	audit, err := s.Audit(0)
	must(t, err)
	mails, err := s.Outbox(0)
	must(t, err)
	must(t, s.file.DB().View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDrafts).ForEach(func(k, v []byte) error {
			var n model.Notification
			if err := decodeJSON(k, v, &n); err != nil {
				return err
			}
			mails = append(mails, n)
			return nil
		})
	}))
	var adminSince uint64 // operations before the first admin mail nobody
	for _, e := range audit {
		if e.Action == model.ActionMemberAdd {
			adminSince = e.Seq
		}
	}
	audited := map[string]bool{}
	want := map[model.NotificationKind]int{}
	ops := 0
	for _, e := range audit {
		if kind, ok := mailKinds[e.Action]; ok && e.Seq > adminSince {
			audited[string(kind)+" "+e.KeyID] = true
			want[kind]++
			ops++
		}
	}
	got := map[model.NotificationKind]int{}
	for _, n := range mails {
		got[n.Kind] += max(n.Count, 1)
		named := n.Keys
		if n.Count == 0 {
			named = []model.NotifiedKey{{ID: n.KeyID}}
		}
		for _, k := range named {
			if !audited[string(n.Kind)+" "+k.ID] {
				t.Errorf("mail %s names key %s, which has no %s audit record", n.ID, k.ID, n.Kind)
			}
		}
	}
	for kind, n := range want {
		if got[kind] != n {
			t.Errorf("%s: %d audited operations, mails cover %d", kind, n, got[kind])
		}
	}
	for kind, n := range got {
		if want[kind] == 0 {
			t.Errorf("%s: mails cover %d keys, none audited", kind, n)
		}
	}
	return ops
}
