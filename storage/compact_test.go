package storage

import (
	"bytes"
	"encoding/base64"
	"os"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	bolt "go.etcd.io/bbolt"
)

// sealedBlobs returns every key's sealed secret as stored, by key id.
func sealedBlobs(t *testing.T, s *Store) map[string][]byte {
	t.Helper()
	blobs := map[string][]byte{}
	err := s.file.DB().View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketKeys).ForEach(func(k, v []byte) error {
			var rec keyRecord
			if err := decodeJSON(k, v, &rec); err != nil {
				return err
			}
			blobs[rec.ID] = rec.Sealed
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return blobs
}

// foundInFile lists the ids whose sealed secret is in the file, raw or
// in its stored (base64) form.
func foundInFile(t *testing.T, path string, blobs map[string][]byte) map[string]bool {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for id, blob := range blobs {
		if bytes.Contains(file, blob) || bytes.Contains(file, []byte(base64.StdEncoding.EncodeToString(blob))) {
			found[id] = true
		}
	}
	return found
}

func TestCompactLeavesNoSealedSecretOfExpiredOrDeletedKeysInTheFile(t *testing.T) {
	s, clk := openTest(t)
	var deleted, rotated, kept []string
	for i := range 10 {
		k, _ := mustCreate(t, s, "key")
		switch i % 3 {
		case 0:
			deleted = append(deleted, k.ID)
		case 1:
			rotated = append(rotated, k.ID)
		default:
			kept = append(kept, k.ID)
		}
	}
	blobs := sealedBlobs(t, s)
	for _, id := range deleted {
		if err := s.Delete("tester", id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range rotated {
		if _, _, err := s.Rotate("tester", id, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(time.Hour)
	if n, err := s.ApplyDue(clk.Now()); err != nil || n != len(rotated) {
		t.Fatalf("ApplyDue = %d, %v", n, err)
	}
	destroyed := append(append([]string{}, deleted...), rotated...)

	// bbolt does not overwrite the pages it frees: before compaction
	// destroyed secrets are still there to find (some pages get reused).
	before := foundInFile(t, s.Path(), blobs)
	stillThere := 0
	for _, id := range destroyed {
		if before[id] {
			stillThere++
		}
	}
	if stillThere == 0 {
		t.Fatal("before compaction no destroyed secret is in the file: this test would prove nothing")
	}
	t.Logf("%d of %d destroyed secrets readable in the file before compaction", stillThere, len(destroyed))

	c, err := s.Compact()
	if err != nil {
		t.Fatal(err)
	}
	after := foundInFile(t, s.Path(), blobs)
	for _, id := range destroyed {
		if after[id] {
			t.Errorf("after compaction the sealed secret of destroyed key %s is still in the file", id)
		}
	}
	for _, id := range kept {
		if !after[id] {
			t.Errorf("compaction lost the live key %s", id)
		}
	}
	t.Logf("compaction: %d -> %d bytes", c.Before, c.After)
	for _, leftover := range []string{s.Path() + ".old", s.Path() + ".compact"} {
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", leftover, err)
		}
	}
	// The store works on the compacted file: reads, writes, and a check.
	if _, _, err := s.Create("tester", "after compaction", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	if r := s.Check(); len(r.Problems) != 0 {
		t.Fatalf("check after compaction: %v", r.Problems)
	}
}
