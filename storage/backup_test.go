package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestBackupHoldsTheLiveSecretsAndNoneOfTheDestroyedOnes(t *testing.T) {
	s, _ := openTest(t)
	var deleted, kept []string
	for i := range 12 {
		k, _ := mustCreate(t, s, "key")
		if i%2 == 0 {
			deleted = append(deleted, k.ID)
		} else {
			kept = append(kept, k.ID)
		}
	}
	blobs := sealedBlobs(t, s)
	for _, id := range deleted {
		if err := s.Delete("tester", id); err != nil {
			t.Fatal(err)
		}
	}
	inFile := foundInFile(t, s.Path(), blobs)
	stillThere := 0
	for _, id := range deleted {
		if inFile[id] {
			stillThere++
		}
	}
	if stillThere == 0 {
		t.Fatal("no destroyed secret left in the file: this test would prove nothing")
	}

	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(copyPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	inBackup := foundInFile(t, copyPath, blobs)
	for _, id := range deleted {
		if inBackup[id] {
			t.Errorf("the backup holds the sealed secret of deleted key %s", id)
		}
	}
	for _, id := range kept {
		if !inBackup[id] {
			t.Errorf("the backup lost live key %s", id)
		}
	}
	r, err := CheckFile(copyPath, 0)
	if err != nil || len(r.Problems) != 0 || r.Keys != len(kept)+1 {
		t.Fatalf("check of the backup: %+v, %v", r, err)
	}
}
