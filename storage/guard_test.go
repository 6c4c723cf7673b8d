package storage

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

func TestAPanicInsideAnOperationDoesNotBlockLaterWrites(t *testing.T) {
	s, _ := openTest(t)
	func() {
		defer func() { recover() }()
		s.update(func(*wtx) error { panic("boom") })
	}()
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Create("tester", "after the panic", model.AllPermissions())
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a write after a recovered panic is still waiting for the lock")
	}
}

func TestPermissionsStorageCouldNotReadBackAreRefused(t *testing.T) {
	s, _ := openTest(t)
	id := onlyKey(t, s).ID
	apiLog, err := model.LookupResource("api_log")
	if err != nil {
		t.Fatal(err)
	}
	var writeOnReadOnly, unknownBits model.Permissions
	writeOnReadOnly[apiLog] = model.Read | model.Write
	unknownBits[0] = 4
	for _, p := range []model.Permissions{writeOnReadOnly, unknownBits} {
		if _, err := s.SetPermissions("tester", id, p); err == nil {
			t.Errorf("SetPermissions(%v) succeeded", [model.ResourceCount]model.Access(p))
		}
		if _, _, err := s.Create("tester", "bad", p); err == nil {
			t.Errorf("Create with %v succeeded", [model.ResourceCount]model.Access(p))
		}
	}
	// Nothing was written, so a fresh read of the bucket still decodes.
	if keys := storedKeys(t, s); len(keys) != 1 || keys[0].Permissions != model.AllPermissions() {
		t.Fatalf("after the refusals: %d keys", len(keys))
	}
}

func TestRevealRefusesAKeyPastItsExpiryBeforeTheSchedulerRetiresIt(t *testing.T) {
	s, clk := openTest(t)
	old := onlyKey(t, s)
	if _, _, err := s.Rotate("tester", old.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reveal("tester", old.ID); err != nil {
		t.Fatalf("reveal during the grace period: %v", err)
	}
	clk.Advance(time.Hour) // no ApplyDue: the scheduler is late
	for _, unseal := range []func(string, string) (model.Token, error){s.Reveal, s.Copy} {
		tok, err := unseal("tester", old.ID)
		if !errors.Is(err, ErrNotFound) || !tok.IsZero() || !strings.Contains(err.Error(), "expired") {
			t.Errorf("unseal after expiry: %v, %v", tok, err)
		}
	}
}

func TestEditingARecordWithADamagedHashDoesNotPanic(t *testing.T) {
	s, _ := openTest(t)
	k, tok := mustCreate(t, s, "damaged")
	if _, err := s.Authenticate(tok, t0); err != nil { // loads the auth cache
		t.Fatal(err)
	}
	err := s.file.DB().Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketKeys)
		var rec keyRecord
		if _, err := boltRecord(b, []byte(k.ID), &rec); err != nil {
			return err
		}
		rec.Hash = rec.Hash[:5]
		data, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return b.Put([]byte(k.ID), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rename("tester", k.ID, "renamed"); err != nil {
		t.Fatal(err)
	}
}
