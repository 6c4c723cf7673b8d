package storage

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
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
