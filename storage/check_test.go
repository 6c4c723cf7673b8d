package storage

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

func TestCheckOfADatabaseFromAnOlderVersionFindsNothingWrong(t *testing.T) {
	s, _ := openTest(t)
	mustCreate(t, s, "ci")
	path := s.Path()
	asVersion1(t, s)
	s.Close()
	if r, err := CheckFile(path, 0); err != nil || len(r.Problems) != 0 {
		t.Fatalf("CheckFile of an older database = %+v, %v; want no problem (the next open adds what it lacks)", r, err)
	}
}

func TestCheckFindsNothingWrongWithASoundDatabase(t *testing.T) {
	s, _ := openTest(t)
	mustCreate(t, s, "ci")
	if r := s.Check(); len(r.Problems) != 0 || r.Keys != 2 {
		t.Fatalf("Check = %+v, want no problem and 2 keys", r)
	}
}

func TestCheckReportsEachBrokenInvariant(t *testing.T) {
	s, _ := openTest(t)
	k, _ := mustCreate(t, s, "ci")
	err := s.file.DB().Update(func(tx *bolt.Tx) error {
		var rec keyRecord
		if _, err := boltRecord(tx.Bucket(bucketKeys), []byte(k.ID), &rec); err != nil {
			return err
		}
		if err := tx.Bucket(bucketHash).Delete(rec.Hash); err != nil {
			return err
		}
		if err := tx.Bucket(bucketExpiry).Put(expiryKey(t0, "nosuchkey000"), nil); err != nil {
			return err
		}
		return tx.Bucket(bucketAudit).Put(encodeUint(999), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Check()
	for _, want := range []string{"key " + k.ID + ": the hash index does not point to it", `expiry index: entry for "nosuchkey000"`, "audit record 00000000000003e7 does not decode"} {
		if !strings.Contains(strings.Join(r.Problems, "\n"), want) {
			t.Errorf("problems %q, want one saying %q", r.Problems, want)
		}
	}
}

func TestATruncatedFileIsDamagedAndLeftAsItWas(t *testing.T) {
	s, _ := openTest(t)
	for range 30 {
		mustCreate(t, s, "filler")
	}
	path := s.Path()
	s.Close()
	info, _ := os.Stat(path)
	if err := os.Truncate(path, info.Size()/2); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "is damaged: the file is truncated") || !strings.HasSuffix(err.Error(), "; restore it from a backup (see README)") {
		t.Fatalf("Open = %v, want the file said truncated", err)
	}
	r, err := CheckFile(path, 0)
	if err != nil || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "truncated") {
		t.Fatalf("CheckFile = %+v, %v", r, err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the damaged file was changed")
	}
}

func TestARecordThatDoesNotDecodeMarksTheStoreDamagedAndStopsWrites(t *testing.T) {
	s, _ := openTest(t)
	k, _ := mustCreate(t, s, "ci")
	err := s.file.DB().Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeys).Put([]byte(k.ID), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(k.ID); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Get of an undecodable record = %v, want ErrDamaged", err)
	}
	select {
	case <-s.Damaged():
	default:
		t.Fatal("Damaged() not closed")
	}
	if _, _, err := s.Create("tester", "after", model.AllPermissions()); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Create after damage = %v, want ErrDamaged", err)
	}
}

func TestCheckReportsAMemberIndexOutOfStep(t *testing.T) {
	s, _ := openTest(t)
	_, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, []string{sshKeyA})
	must(t, err)
	must(t, s.file.DB().Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketSSHKeys).Put([]byte(model.Fingerprint(sshKeyA)), []byte("eve@example.com")); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaAdmins, []byte(`[]`))
	}))
	r := s.Check()
	want := []string{"member ada@example.com: SSH key " + model.Fingerprint(sshKeyA) + " is not indexed to them", "meta: the admins list disagrees with the members"}
	for _, w := range want {
		if !slices.Contains(r.Problems, w) {
			t.Errorf("Check = %q, want %q among them", r.Problems, w)
		}
	}
}
