package storage

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// The race detector fails this test when a random source that is not safe
// for concurrent use is read by an import's preparing goroutine and by
// another writer at once.
func TestImportBesideOtherWritersSharesARandomSourceThatIsNotConcurrencySafe(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	s, err := Open(filepath.Join(t.TempDir(), "keyrack.db"),
		Options{Clock: clock.NewFake(t0), Rand: rand.NewChaCha8([32]byte{'k', 'e', 'y'})})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys := make([]NewKey, 4*aheadBatch)
	for i := range keys {
		keys[i] = NewKey{Name: fmt.Sprintf("imported %d", i), Permissions: model.AllPermissions()}
	}
	var created []model.Token
	res, err := s.Import("tester", InOneBlock(keys), func([]Imported) {
		// Another writer between two chunks, while later keys are prepared.
		_, tok, err := s.Create("tester", fmt.Sprintf("created %d", len(created)), model.AllPermissions())
		if err != nil {
			t.Errorf("create during the import: %v", err)
		}
		created = append(created, tok)
	})
	if err != nil || res.Imported != len(keys) {
		t.Fatalf("Import = %+v, %v", res, err)
	}
	if r := s.Check(); len(r.Problems) != 0 {
		t.Fatal(r.Problems)
	}
}
