package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// openTest opens a fresh store on a fake clock in a temporary directory.
func openTest(t testing.TB) (*Store, *clock.Fake) {
	t.Helper()
	t.Setenv(MasterKeyEnv, "")
	clk := clock.NewFake(t0)
	s, err := Open(filepath.Join(t.TempDir(), "data", "keyrack.db"), Options{Clock: clk, Org: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

func mustCreate(t testing.TB, s *Store, name string) (model.Key, model.Token) {
	t.Helper()
	k, tok, err := s.Create("tester", name, model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	return k, tok
}

func onlyKey(t testing.TB, s *Store) model.Key {
	t.Helper()
	keys, err := s.List()
	if err != nil || len(keys) != 1 {
		t.Fatalf("want exactly one key, got %d (%v)", len(keys), err)
	}
	return keys[0]
}

// storedKeys reads the key list from the database in display order,
// bypassing the caches.
func storedKeys(t testing.TB, s *Store) []model.Key {
	t.Helper()
	index, _, _, err := s.loadCaches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var keys []model.Key
	(&Snapshot{index: index}).Ascend(0, func(_ int, k model.Key) bool {
		keys = append(keys, k)
		return true
	})
	return keys
}

// reopen closes s and opens its file (or its etcd prefix) again on the
// same clock, as a restart does.
func reopen(t testing.TB, s *Store, clk *clock.Fake) *Store {
	t.Helper()
	path := s.Path()
	must(t, s.Close())
	if path == "" { // etcd (backends_test.go)
		return openEtcd(t, strings.TrimPrefix(s.name, "etcd://"+etcdServer.Endpoint), Options{Clock: clk})
	}
	s2, err := Open(path, Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

// asVersion1 turns s's file into what the first version wrote: the
// buckets added later gone, meta without their records, schema 1.
func asVersion1(t testing.TB, s *Store) {
	t.Helper()
	must(t, s.file.DB().Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if addedLater(b) {
				if err := tx.DeleteBucket(b); err != nil {
					return err
				}
			}
		}
		m := tx.Bucket(bucketMeta)
		for _, k := range [][]byte{metaActive, metaAdmins} {
			if err := m.Delete(k); err != nil {
				return err
			}
		}
		return m.Put(metaSchema, encodeUint(1))
	}))
}
