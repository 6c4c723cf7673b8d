package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
	bolt "go.etcd.io/bbolt"
)

// A version 1 database lacks the active list, the SSH key index and the
// admins list; the next open builds them, and the rules that read them
// hold at once.
func TestOpenUpgradesAVersion1Database(t *testing.T) {
	s, clk := openTest(t)
	def := onlyKey(t, s)
	line := sshKeyA
	_, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{line})
	must(t, err)
	asVersion1(t, s)
	s2 := reopen(t, s, clk)
	checkInvariants(t, s2)
	if err := s2.Delete("tester", def.ID); !errors.Is(err, ErrLastActiveKey) {
		t.Fatalf("delete of the only active key after the upgrade: %v, want ErrLastActiveKey", err)
	}
	if m, ok, err := s2.MemberBySSHKey(line); err != nil || !ok || m.Email != "ada@example.com" {
		t.Fatalf("MemberBySSHKey after the upgrade = %v, %v, %v", m.Email, ok, err)
	}
	mustCreate(t, s2, "second")
	if err := s2.Delete("tester", def.ID); err != nil {
		t.Fatalf("delete with another active key: %v", err)
	}
	if out, err := s2.Outbox(1); err != nil || len(out) != 1 || out[0].Kind != model.NotifyDeleted || len(out[0].Recipients) != 1 {
		t.Fatalf("the deletion's mail = %+v, %v; want one to the admin", out, err)
	}
	if r := s2.Check(); len(r.Problems) != 0 {
		t.Fatalf("Check after the upgrade: %v", r.Problems)
	}
}

// A database a newer keyrack wrote is refused, not misread.
func TestOpenRefusesANewerSchema(t *testing.T) {
	s, clk := openTest(t)
	path := s.Path()
	must(t, s.Close())
	db, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchema, encodeUint(schemaVersion+1))
	}))
	must(t, db.Close())
	if _, err := Open(path, Options{Clock: clk}); err == nil || !strings.Contains(err.Error(), "newer keyrack") {
		t.Fatalf("a newer schema: %v, want a refusal naming a newer keyrack", err)
	}
}

// On etcd (a version 1 file copied there by keyrack migrate), the upgrade
// builds the indexes in chunks that fit etcd's transactions.
func TestOpenUpgradesAVersion1DatabaseOnEtcdInChunks(t *testing.T) {
	prefix := newEtcdPrefix()
	s := openEtcd(t, prefix, Options{Org: "Acme"})
	_, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{sshKeyA})
	must(t, err)
	names := make([]string, 150) // 150 order and 150 active entries: several chunks
	for i := range names {
		names[i] = fmt.Sprintf("k%d", i)
	}
	_, _, err = s.CreateMany("tester", names, model.AllPermissions())
	must(t, err)
	emptyAddedIndexes(t, s)
	must(t, s.Close())

	s2 := openEtcd(t, prefix, Options{})
	checkInvariants(t, s2)
	if m, ok, err := s2.MemberBySSHKey(sshKeyA); err != nil || !ok || m.Email != "ada@example.com" {
		t.Fatalf("MemberBySSHKey after the upgrade = %v, %v, %v", m.Email, ok, err)
	}
	if n, err := s2.PendingMails(); err != nil || len(n) == 0 {
		t.Fatalf("pending mail after the upgrade: %d, %v", len(n), err)
	}
}

// emptyAddedIndexes makes s's data what a version 1 database copied to
// etcd holds: the indexes schema 2 added (and the order and pending
// indexes a version 1 file may lack) empty, schema 1.
func emptyAddedIndexes(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	for _, b := range [][]byte{bucketActive, bucketSSHKeys, bucketOrder, bucketPending} {
		var keys [][]byte
		must(t, s.kv.View(ctx, func(tx kv.ReadTx) error {
			return tx.Scan(kv.Range{Bucket: string(b)}, false, func(k, _ []byte) error {
				keys = append(keys, append([]byte(nil), k...))
				return nil
			})
		}))
		for len(keys) > 0 {
			chunk := keys[:min(100, len(keys))]
			keys = keys[len(chunk):]
			_, err := s.kv.Update(ctx, func(tx kv.Tx) error {
				for _, k := range chunk {
					if err := tx.Delete(string(b), k); err != nil {
						return err
					}
				}
				return nil
			})
			must(t, err)
		}
	}
	_, err := s.kv.Update(ctx, func(tx kv.Tx) error {
		for _, k := range [][]byte{metaActive, metaAdmins} {
			if err := tx.Delete(string(bucketMeta), k); err != nil {
				return err
			}
		}
		return tx.Put(string(bucketMeta), metaSchema, encodeUint(1))
	})
	must(t, err)
}
