package storage

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// checkInvariants verifies what no crash may break: the indexes match the
// keys exactly, an active key exists, and every rotation's new key is
// either present or its later removal is audited. It reads through the
// backend, so it holds on bbolt and etcd alike.
func checkInvariants(t testing.TB, s *Store) {
	t.Helper()
	err := s.read(func(tx kv.ReadTx) error {
		get := func(bucket []byte, key []byte) []byte {
			v, err := tx.Get(string(bucket), key)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		active, nExpiring, enabled := 0, 0, 0
		err := tx.Scan(kv.Range{Bucket: string(bucketKeys)}, false, func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			if got := get(bucketHash, rec.Hash); string(got) != rec.ID {
				t.Errorf("key %s: hash index points to %q", rec.ID, got)
			}
			if got := get(bucketOrder, placeKey(rec.Place)); string(got) != rec.ID {
				t.Errorf("key %s: order index points to %q", rec.ID, got)
			}
			if rec.Disabled != (get(bucketDisabled, k) != nil) {
				t.Errorf("key %s: disabled %v, but the disabled list disagrees", rec.ID, rec.Disabled)
			}
			if isActive(rec) != (get(bucketActive, k) != nil) {
				t.Errorf("key %s: active %v, but the active list disagrees", rec.ID, isActive(rec))
			}
			if rec.ExpiresAt.IsZero() {
				active++
				if !rec.Disabled {
					enabled++
				}
				if get(bucketExpiring, k) != nil {
					t.Errorf("active key %s is in the expiring bucket", rec.ID)
				}
				return nil
			}
			nExpiring++
			if get(bucketExpiry, expiryKey(rec.ExpiresAt, rec.ID)) == nil {
				t.Errorf("expiring key %s missing from the expiry index", rec.ID)
			}
			if !bytes.Equal(get(bucketExpiring, k), expiryKey(rec.ExpiresAt, rec.ID)[:8]) {
				t.Errorf("expiring key %s: expiring bucket disagrees", rec.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range []struct {
			bucket []byte
			want   int
		}{{bucketHash, active + nExpiring}, {bucketOrder, active + nExpiring}, {bucketExpiry, nExpiring}, {bucketExpiring, nExpiring}, {bucketActive, enabled}} {
			if n := countOf(t, tx, c.bucket); n != c.want {
				t.Errorf("%s has %d entries, want %d", c.bucket, n, c.want)
			}
		}
		if enabled == 0 {
			t.Error("no enabled active key")
		}
		if v := get(bucketMeta, metaActive); len(v) != 8 || decodeUint(v) != uint64(enabled) {
			t.Errorf("active keys counted %x, want %d", v, enabled)
		}
		return checkRotationsRecorded(t, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// countOf counts the records of a bucket.
func countOf(t testing.TB, tx kv.ReadTx, bucket []byte) int {
	n := 0
	must(t, tx.Scan(kv.Range{Bucket: string(bucket)}, false, func(_, _ []byte) error {
		n++
		return nil
	}))
	return n
}

func checkRotationsRecorded(t testing.TB, tx kv.ReadTx) error {
	removed := map[string]bool{}
	var newIDs []string
	err := tx.Scan(kv.Range{Bucket: string(bucketAudit)}, false, func(k, v []byte) error {
		var e model.AuditEntry
		if err := decodeJSON(k, v, &e); err != nil {
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
		if v, _ := tx.Get(string(bucketKeys), []byte(id)); v == nil && !removed[id] {
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
	model.ActionRemind: model.NotifyReminder, model.ActionPermissions: model.NotifyPermissions,
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
	must(t, s.read(func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: string(bucketDrafts)}, false, func(k, v []byte) error {
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
