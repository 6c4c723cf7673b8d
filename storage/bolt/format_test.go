package bolt_test

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
)

// A database written by storage reads through the backend as it is: the
// same buckets, keys and sequences, so the port onto kv changes no file.
func TestReadsAKeyrackDatabaseAsItIs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyrack.db")
	s, err := storage.Open(path, storage.Options{Org: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	created, _, err := s.Create("alice", "ci", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	audit, err := s.Audit(1)
	if err != nil || len(audit) != 1 {
		t.Fatalf("audit: %v %v", audit, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	b := openPath(t, path)
	ctx := context.Background()
	err = b.View(ctx, func(tx kv.ReadTx) error {
		if org, err := tx.Get("meta", []byte("organization")); err != nil || string(org) != "Acme" {
			t.Errorf("meta/organization = %q, %v", org, err)
		}
		if rec, err := tx.Get("keys", []byte(created.ID)); err != nil || rec == nil {
			t.Errorf("keys/%s = %q, %v", created.ID, rec, err)
		}
		n := 0
		err := tx.Scan(kv.Range{Bucket: "audit"}, true, func(k, _ []byte) error {
			if n == 0 && binary.BigEndian.Uint64(k) != audit[0].Seq {
				t.Errorf("newest audit key %x, want sequence %d", k, audit[0].Seq)
			}
			n++
			return nil
		})
		if n < 2 {
			t.Errorf("%d audit records, want the organization's and both keys'", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var next uint64
	_, err = b.Update(ctx, func(tx kv.Tx) (err error) {
		next, err = tx.NextSequence("audit")
		return err
	})
	if err != nil || next != audit[0].Seq+1 {
		t.Fatalf("next audit sequence %d, %v; want %d: bbolt's own sequence", next, err, audit[0].Seq+1)
	}
}

func openPath(t *testing.T, path string) *bolt.Backend {
	t.Helper()
	b, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
