package storage

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
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
