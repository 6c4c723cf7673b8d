package storage

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

// Two nodes starting at once on an empty etcd create the organization,
// its Default key and the key check once: the loser's retried
// transaction finds the winner's.
func TestOpenBackendCreatesTheOrganizationOnce(t *testing.T) {
	prefix := newEtcdPrefix()
	clk := clock.NewFake(t0)
	stores := make([]*Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = tryOpenEtcd(t, prefix, Options{Clock: clk, Org: "Acme"})
		}()
	}
	wg.Wait()
	created := 0
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		defer s.Close()
		if s.Created() {
			created++
		}
		if s.Organization() != "Acme" {
			t.Errorf("node %d: organization %q", i, s.Organization())
		}
	}
	if created != 1 {
		t.Fatalf("%d nodes say they created the database, want 1", created)
	}
	audit, err := stores[0].Audit(0)
	must(t, err)
	if len(audit) != 2 || audit[0].Action != model.ActionCreate || audit[1].Action != model.ActionOrganization {
		t.Fatalf("audit %+v, want the organization and its Default key, once", audit)
	}
	checkInvariants(t, stores[1])
}

// Every later node verifies the key check: a wrong master key is refused
// with ErrMasterKey, as the right one opens.
func TestOpenBackendRefusesAWrongMasterKey(t *testing.T) {
	prefix := newEtcdPrefix()
	openEtcd(t, prefix, Options{Org: "Acme"})
	_, err := tryOpenEtcd(t, prefix, Options{MasterKey: []byte("another key, 32 bytes long......")})
	if !errors.Is(err, ErrMasterKey) {
		t.Fatalf("wrong master key: %v, want ErrMasterKey", err)
	}
	if s, err := tryOpenEtcd(t, prefix, Options{}); err != nil {
		t.Fatalf("the right key: %v", err)
	} else {
		s.Close()
	}
}

// Maintenance of a bbolt file says on etcd that it is not available there,
// and what to run instead.
func TestBoltMaintenanceIsRefusedOnEtcd(t *testing.T) {
	s := openEtcd(t, newEtcdPrefix(), Options{})
	if _, err := s.Compact(); !errors.Is(err, ErrNotOnEtcd) || !strings.Contains(err.Error(), "etcdctl defrag") {
		t.Errorf("compact: %v", err)
	}
	if _, err := s.Backup(nil); !errors.Is(err, ErrNotOnEtcd) || !strings.Contains(err.Error(), "etcdctl snapshot save") {
		t.Errorf("backup: %v", err)
	}
	if _, err := s.Rekey("tester", RekeyOptions{}); !errors.Is(err, ErrNotOnEtcd) {
		t.Errorf("rekey: %v", err)
	}
	if r := s.Check(); len(r.Problems) != 0 || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "not available on etcd") {
		t.Errorf("check: %+v", r)
	}
}

// Two nodes deleting the last two active keys at the same moment: the
// active count both transactions read is compared at commit, so one
// deletion wins and the other, retried, is refused.
func TestTwoNodesCannotDeleteBothLastActiveKeys(t *testing.T) {
	prefix := newEtcdPrefix()
	a := openEtcd(t, prefix, Options{Org: "Acme"})
	b := openEtcd(t, prefix, Options{})
	audit, err := a.Audit(0) // newest first: the Default key's creation is second to last
	must(t, err)
	def, err := a.Get(audit[len(audit)-2].KeyID)
	must(t, err)
	second, _ := mustCreate(t, a, "second")
	for round := 0; round < 5; round++ {
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, del := range []struct {
			s  *Store
			id string
		}{{a, def.ID}, {b, second.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = del.s.Delete("tester", del.id)
			}()
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, ErrLastActiveKey):
				refused++
			case err != nil:
				t.Fatal(err)
			}
		}
		if refused != 1 {
			t.Fatalf("round %d: %d of 2 deletions refused, want 1 (errors %v)", round, refused, errs)
		}
		checkInvariants(t, a)
		// Put the deleted one's place back for the next round.
		next, _ := mustCreate(t, a, "again")
		if errs[0] == nil {
			def = next
		} else {
			second = next
		}
	}
}

// The damage guard is bbolt's: on etcd a record that does not decode is
// an error of the read, and the store goes on.
func TestEtcdRecordThatDoesNotDecodeIsAnErrorNotDamage(t *testing.T) {
	s := openEtcd(t, newEtcdPrefix(), Options{})
	_, err := s.kv.Update(context.Background(), func(tx kv.Tx) error {
		return tx.Put(string(bucketAudit), encodeUint(999), []byte("{not json"))
	})
	must(t, err)
	if _, err := s.Audit(0); err == nil || errors.Is(err, ErrDamaged) {
		t.Fatalf("Audit over a bad record: %v, want an error that is not ErrDamaged", err)
	}
	if err := s.DamageErr(); err != nil {
		t.Fatalf("the store was marked damaged: %v", err)
	}
	if _, _, err := s.Create("tester", "after", model.AllPermissions()); err != nil {
		t.Fatalf("a write after it: %v", err)
	}
}
