package storage

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage/kv"
)

func TestRekeyKeepsEveryTokenAndTheOldKeyNoLongerOpensTheFile(t *testing.T) {
	s, _ := openTest(t)
	mustCreate(t, s, "ci")
	tokens := map[string]string{}
	before := sealedBlobs(t, s)
	for id := range before {
		tok, err := s.Reveal("tester", id)
		if err != nil {
			t.Fatal(err)
		}
		tokens[id] = tok.Reveal()
	}
	keyPath := s.Path() + ".key"
	oldKey, _ := os.ReadFile(keyPath)
	if _, err := s.Rekey("tester", RekeyOptions{}); err != nil {
		t.Fatal(err)
	}
	newKey, _ := os.ReadFile(keyPath)
	if string(newKey) == string(oldKey) || len(newKey) == 0 {
		t.Fatal("the key file did not change")
	}
	for _, leftover := range []string{keyPath + ".new", keyPath + ".old"} {
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("%s left behind", leftover)
		}
	}
	if found := foundInFile(t, s.Path(), before); len(found) != 0 {
		t.Errorf("secrets sealed under the old key still in the file: %v", found)
	}
	for id, want := range tokens {
		tok, err := s.Reveal("tester", id)
		if err != nil || tok.Reveal() != want {
			t.Fatalf("reveal %s after rekey: %v (token changed: %v)", id, err, tok.Reveal() != want)
		}
	}
	path := s.Path()
	s.Close()

	// The old key no longer opens the file; the new one does.
	t.Setenv(MasterKeyEnv, string(oldKey))
	if _, err := Open(path, Options{}); !errors.Is(err, ErrMasterKey) {
		t.Fatalf("Open with the old key = %v, want ErrMasterKey", err)
	}
	t.Setenv(MasterKeyEnv, "")
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if r := s2.Check(); len(r.Problems) != 0 {
		t.Fatal(r.Problems)
	}
}

// A rekey cut short before the key swap, or inside it between the old key
// file's second name and the rename (.key.old is then .key itself, which
// must lose that name, not its bytes), is finished by the next open.
func TestRekeyCutShortBeforeTheKeySwapIsFinishedByTheNextOpen(t *testing.T) {
	for _, linked := range []bool{false, true} {
		t.Run(fmt.Sprint("linked=", linked), func(t *testing.T) { rekeyCutShort(t, linked) })
	}
}

func rekeyCutShort(t *testing.T, linked bool) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "keyrack.db")
	s, err := Open(path, Options{Clock: clock.NewFake(t0)})
	if err != nil {
		t.Fatal(err)
	}
	id := onlyKey(t, s).ID
	tok, _ := s.Reveal("tester", id)
	// A crash right after the announce: the new key file exists, nothing is re-sealed.
	crash := errors.New("crash")
	if _, err := s.Rekey("tester", RekeyOptions{Announce: func(string) error { return crash }}); !errors.Is(err, crash) {
		t.Fatalf("Rekey = %v", err)
	}
	if _, err := os.Stat(path + ".key.new"); !os.IsNotExist(err) {
		t.Fatal("an announce that failed left the new key file")
	}
	// A crash after the re-seal: simulate by re-sealing and leaving .key.new.
	key := make([]byte, 32)
	key[0] = 7
	next, _ := newSealer(key, s.rand)
	if err := writeKeyFile(path+".key.new", base64.StdEncoding.EncodeToString(key)); err != nil {
		t.Fatal(err)
	}
	s.writeMu.Lock()
	_, err = s.write(func(tx kv.Tx) error { return s.reseal(tx, next) })
	s.writeMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if linked {
		if err := os.Link(path+".key", path+".key.old"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after a rekey cut short: %v", err)
	}
	defer s2.Close()
	got, err := s2.Reveal("tester", id)
	if err != nil || got.Reveal() != tok.Reveal() {
		t.Fatalf("reveal after the finished swap: %v", err)
	}
	for _, leftover := range []string{path + ".key.new", path + ".key.old"} {
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Fatalf("%s still there after the swap was finished", leftover)
		}
	}
}

func TestRekeyBetweenTwoChunksOfAnImportKeepsEverySecret(t *testing.T) {
	s, _ := openTest(t)
	// More keys than the first chunk takes, all prepared (and, before the
	// fix, sealed) in the import's first batch, before the rekey.
	keys := make([]NewKey, 3*chunkFirst)
	for i := range keys {
		keys[i] = NewKey{Name: fmt.Sprintf("imported %d", i), Permissions: model.AllPermissions()}
	}
	var imported []Imported
	chunks := 0
	res, err := s.Import("tester", InOneBlock(keys), func(done []Imported) {
		imported = append(imported, done...)
		if chunks++; chunks == 1 {
			if _, err := s.Rekey("tester", RekeyOptions{}); err != nil {
				t.Errorf("rekey after the first chunk: %v", err)
			}
		}
	})
	if err != nil || res.Imported != len(keys) {
		t.Fatalf("Import = %+v, %v", res, err)
	}
	if chunks < 2 {
		t.Fatalf("the import took %d chunk(s): no rekey ran between two", chunks)
	}
	for _, k := range imported {
		tok, err := s.Reveal("tester", k.Key.ID)
		if err != nil || tok.Reveal() != k.Token.Reveal() {
			t.Fatalf("reveal %s (%s) after the rekey: %v (token changed: %v)", k.Key.ID, k.Key.Name, err, tok.Reveal() != k.Token.Reveal())
		}
	}
	if r := s.Check(); len(r.Problems) != 0 {
		t.Fatal(r.Problems)
	}
	if _, err := s.Rekey("tester", RekeyOptions{}); err != nil {
		t.Fatalf("a second rekey: %v", err)
	}
}
