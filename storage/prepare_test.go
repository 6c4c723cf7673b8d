package storage

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestImportedKeysAreDatedByTheCommitThatStoresThem(t *testing.T) {
	s, clk := openTest(t)
	// All prepared in the import's first batch, stored in several chunks
	// with the clock moving on between them.
	keys := make([]NewKey, 3*chunkFirst)
	for i := range keys {
		keys[i] = NewKey{Name: fmt.Sprintf("imported %d", i), Permissions: model.AllPermissions()}
		if i%2 == 0 {
			keys[i].ExpiresAt = t0.Add(90 * 24 * time.Hour)
		}
	}
	chunks := 0
	if _, err := s.Import("tester", InOneBlock(keys), func([]Imported) {
		chunks++
		clk.Advance(time.Minute)
	}); err != nil {
		t.Fatal(err)
	}
	if chunks < 2 {
		t.Fatalf("the import took %d chunk(s): the clock never moved during it", chunks)
	}
	audit, err := s.Audit(0)
	if err != nil {
		t.Fatal(err)
	}
	created := map[string]time.Time{}
	for _, e := range audit {
		if e.Action == model.ActionCreate {
			created[e.KeyID] = e.At
		}
	}
	checked := 0
	for _, k := range storedKeys(t, s) {
		at, ok := created[k.ID]
		if !ok || k.Name == "Default" {
			continue
		}
		checked++
		if !k.CreatedAt.Equal(at) {
			t.Fatalf("%s: created at %s, its audit record at %s", k.Name, k.CreatedAt, at)
		}
		if !k.ExpiresAt.IsZero() && !k.ExpirySetAt.Equal(at) {
			t.Fatalf("%s: expiry set at %s, its audit record at %s", k.Name, k.ExpirySetAt, at)
		}
	}
	if checked != len(keys) {
		t.Fatalf("checked %d keys, imported %d", checked, len(keys))
	}
}
