package storage

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
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

// allZero reports whether f (a handle kept on a file Compact removed)
// holds size bytes, every one of them zero.
func allZero(t *testing.T, f *os.File, size int64) bool {
	t.Helper()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, size+1))
	if err != nil {
		t.Fatal(err)
	}
	return int64(len(b)) == size && bytes.Count(b, []byte{0}) == len(b)
}

// storeAndItsFile opens a store with 20 keys and a handle on its file, to
// see the file after Compact removed it.
func storeAndItsFile(t *testing.T) (*Store, *os.File) {
	t.Helper()
	s, _ := openTest(t)
	for range 20 {
		mustCreate(t, s, "key")
	}
	f, err := os.Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return s, f
}

// The old file is overwritten with zeros, every byte of it, before its
// name goes: a handle kept on it reads zeros only.
func TestCompactOverwritesEveryByteOfTheOldFileWithZeros(t *testing.T) {
	s, old := storeAndItsFile(t)
	info, err := old.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if allZero(t, old, info.Size()) {
		t.Fatal("the file is zeros before compaction: this test would prove nothing")
	}
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if !allZero(t, old, info.Size()) {
		t.Fatal("after compaction the old file is not all zeros")
	}
}

// A compaction cut short (keyrack killed, the machine down) leaves the
// database intact whatever step it stopped at, and the next open cleans
// what it left: a partial copy, the old file's second name (still
// the live file, if the rename had not happened: it must lose the name,
// not its bytes), or the old file itself, which it overwrites with zeros.
func TestCompactCutShortLeavesTheDatabaseIntactAndTheNextOneCleansUp(t *testing.T) {
	for _, stop := range []string{"during the copy", "before the rename", "before the wipe"} {
		t.Run(stop, func(t *testing.T) {
			s, _ := openTest(t)
			path := s.Path()
			var toks []model.Token
			for range 10 {
				_, tok := mustCreate(t, s, "key")
				toks = append(toks, tok)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			var leftover *os.File // a handle on the previous file, to see it zeroed
			var leftoverSize int64
			switch stop {
			case "during the copy":
				if err := os.WriteFile(path+".compact", bytes.Repeat([]byte("partial copy "), 1000), 0o600); err != nil {
					t.Fatal(err)
				}
			case "before the rename":
				if err := os.WriteFile(path+".compact", bytes.Repeat([]byte("whole copy "), 1000), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Link(path, path+".old"); err != nil {
					t.Fatal(err)
				}
			case "before the wipe": // the copy is in place; the old file is only .old
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path+".old", b, 0o600); err != nil {
					t.Fatal(err)
				}
				if leftover, err = os.Open(path + ".old"); err != nil {
					t.Fatal(err)
				}
				defer leftover.Close()
				leftoverSize = int64(len(b))
			}

			s, err := Open(path, Options{Clock: clock.NewFake(t0), MustExist: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			leftBehind := func(when string) {
				t.Helper()
				for _, name := range []string{path + ".old", path + ".compact"} {
					if _, err := os.Stat(name); !os.IsNotExist(err) {
						t.Errorf("%s: %s left behind: %v", when, name, err)
					}
				}
				if leftover != nil && !allZero(t, leftover, leftoverSize) {
					t.Errorf("%s: the previous file left as .old was removed without being zeroed", when)
				}
			}
			leftBehind("after the open") // a compaction may be far off
			if _, err := s.Compact(); err != nil {
				t.Fatal(err)
			}
			for _, tok := range toks {
				if _, err := s.Authenticate(tok, t0); err != nil {
					t.Fatalf("a key created before the compaction cut short: %v", err)
				}
			}
			if r := s.Check(); len(r.Problems) != 0 {
				t.Fatalf("check: %v", r.Problems)
			}
			leftBehind("after the next compaction")
		})
	}
}

// Writes do not wait for the zeros written over the old file either:
// a key is created while the wipe is held back, and the old file is still
// zeroed after it.
func TestCompactLetsWritesGoOnWhileTheOldFileIsWiped(t *testing.T) {
	s, old := storeAndItsFile(t)
	created := make(chan error, 1)
	s.beforeWipe = func() {
		go func() {
			_, _, err := s.Create("tester", "during the wipe", model.AllPermissions())
			created <- err
		}()
		select {
		case err := <-created:
			if err != nil {
				t.Errorf("a write before the wipe: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("a write waited for the wipe of the old file")
		}
	}
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	info, err := old.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if !allZero(t, old, info.Size()) {
		t.Error("the old file is not all zeros")
	}
	if k := storedKeys(t, s); !slices.ContainsFunc(k, func(k model.Key) bool { return k.Name == "during the wipe" }) {
		t.Error("the key created during the wipe is not in the compacted file")
	}
}

// keyrack compact loads no caches it would not use: a store nobody asked
// for them compacts without them; one that serves from them (serve
// preloads) has them loaded throughout.
func TestCompactLoadsTheCachesOnlyWhenTheyAreUsed(t *testing.T) {
	for _, preload := range []bool{false, true} {
		t.Run(fmt.Sprint("preloaded=", preload), func(t *testing.T) {
			s, _ := openTest(t)
			if preload {
				if err := s.Preload(); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Compact(); err != nil {
				t.Fatal(err)
			}
			if loaded := s.Ready() == nil; loaded != preload {
				t.Fatalf("after compaction caches loaded %v, want %v", loaded, preload)
			}
		})
	}
}

// duringCopy makes the next compaction's copy, once it has copied the key
// records (and the audit log, the key index: the buckets before them),
// run writes in another goroutine and wait for them: they complete while
// the copy is held. It fails the test if they wait for the copy instead
// (the bound is only against a hang). It returns how many copies reached
// the key records.
func duringCopy(t *testing.T, s *Store, writes func() error) *int {
	t.Helper()
	copies := 0
	s.copied = func(bucket []byte) {
		if !bytes.Equal(bucket, bucketKeys) {
			return
		}
		if copies++; copies > 1 {
			return
		}
		done := make(chan error, 1)
		go func() { done <- writes() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("a write during the copy: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("a write waited for the copy")
		}
	}
	return &copies
}

// A write does not wait for the copy: it completes while the copy is held
// halfway, and once the copy is swapped in it is there.
func TestCompactLetsWritesGoOnDuringTheCopy(t *testing.T) {
	s, _ := storeAndItsFile(t)
	copies := duringCopy(t, s, func() error {
		_, _, err := s.Create("tester", "during the copy", model.AllPermissions())
		return err
	})
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if *copies != 1 {
		t.Fatalf("%d copies, want 1", *copies)
	}
	if k := storedKeys(t, s); !slices.ContainsFunc(k, func(k model.Key) bool { return k.Name == "during the copy" }) {
		t.Error("the key created during the copy is not in the compacted file")
	}
}

// keyNames lists the names of the keys stored in s's file.
func keyNames(t *testing.T, s *Store) []string {
	t.Helper()
	var names []string
	for _, k := range storedKeys(t, s) {
		names = append(names, k.Name)
	}
	slices.Sort(names)
	return names
}

// auditSeqs lists the audit log's sequence numbers, oldest first, and
// fails the test if the bucket's sequence does not count them.
func auditSeqs(t *testing.T, s *Store) []uint64 {
	t.Helper()
	entries, err := s.Audit(0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.AuditCount()
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for _, e := range slices.Backward(entries) {
		seqs = append(seqs, e.Seq)
	}
	if len(seqs) != n || (n > 0 && seqs[n-1] != uint64(n)) {
		t.Fatalf("audit log: %d records, sequence %d, last %v", len(seqs), n, seqs[max(0, len(seqs)-1):])
	}
	return seqs
}

// Everything written during the copy is in the file it is swapped for:
// a key deleted, one renamed, one created, their audit records, and the
// audit log's sequence, so that the next record does not take the number
// of one written during the copy. The secret destroyed before the copy is
// gone from the file; the one destroyed during it waits for the next
// compaction, which wipes it.
func TestCompactKeepsEveryWriteMadeDuringTheCopy(t *testing.T) {
	s, clk := openTest(t)
	gone, _ := mustCreate(t, s, "deleted before")
	deleted, _ := mustCreate(t, s, "deleted during")
	renamed, _ := mustCreate(t, s, "renamed during")
	mustCreate(t, s, "kept")
	blobs := sealedBlobs(t, s)
	if err := s.Delete("tester", gone.ID); err != nil {
		t.Fatal(err)
	}
	copies := duringCopy(t, s, func() error {
		if err := s.Delete("tester", deleted.ID); err != nil {
			return err
		}
		if _, err := s.Rename("tester", renamed.ID, "renamed"); err != nil {
			return err
		}
		_, _, err := s.Create("tester", "created during", model.AllPermissions())
		return err
	})
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if *copies != 1 {
		t.Fatalf("%d copies, want 1", *copies)
	}
	want := []string{"Default", "created during", "kept", "renamed"}
	if got := keyNames(t, s); !slices.Equal(got, want) {
		t.Fatalf("keys after compaction %q, want %q", got, want)
	}
	seqs := auditSeqs(t, s)
	mustCreate(t, s, "after")
	if after := auditSeqs(t, s); len(after) != len(seqs)+1 {
		t.Fatalf("a record after compaction took the place of one before: %d records, then %d", len(seqs), len(after))
	}
	entries, err := s.Audit(5)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range slices.Backward(entries[1:]) {
		actions = append(actions, e.Action+" "+e.KeyName)
	}
	if wantActions := []string{"delete deleted before", "delete deleted during", model.ActionRename + " renamed", "create created during"}; !slices.Equal(actions, wantActions) {
		t.Errorf("audit records %q, want %q", actions, wantActions)
	}
	if found := foundInFile(t, s.Path(), blobs); found[gone.ID] {
		t.Error("the secret destroyed before the copy is still in the file")
	}
	if n := destroyedWaiting(t, s); n != 1 {
		t.Errorf("%d destroyed secrets waiting after the compaction, want 1 (the one destroyed during the copy)", n)
	}

	s = reopen(t, s, clk)
	if got := keyNames(t, s); !slices.Equal(got, []string{"Default", "after", "created during", "kept", "renamed"}) {
		t.Fatalf("keys after a reopen %q", got)
	}
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if found := foundInFile(t, s.Path(), blobs); found[deleted.ID] || found[gone.ID] {
		t.Error("a destroyed secret is still in the file after the next compaction")
	}
	if n := destroyedWaiting(t, s); n != 0 {
		t.Errorf("%d destroyed secrets waiting, want 0", n)
	}
}

// When the writes during the copy are more than the history keeps for
// it, the copy is made again with writes held, and none is lost.
func TestCompactCopiesAgainWhenTheHistoryDroppedTheWritesDuringTheCopy(t *testing.T) {
	s, _ := openTest(t)
	k, _ := mustCreate(t, s, "renamed")
	mustCreate(t, s, "kept")
	s.file.DB().NoSync = true // a test's thousand commits need not reach the disk
	const renames = 1100      // the history keeps 1024 commits
	copies := duringCopy(t, s, func() error {
		for i := range renames {
			if _, err := s.Rename("tester", k.ID, fmt.Sprint("name ", i)); err != nil {
				return err
			}
		}
		return nil
	})
	before := len(auditSeqs(t, s))
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if *copies != 2 {
		t.Fatalf("%d copies, want 2 (the second with writes held)", *copies)
	}
	if got, want := keyNames(t, s), []string{"Default", "kept", fmt.Sprint("name ", renames-1)}; !slices.Equal(got, want) {
		t.Fatalf("keys after compaction %q, want %q", got, want)
	}
	if after := len(auditSeqs(t, s)); after != before+renames {
		t.Fatalf("%d audit records after compaction, want %d", after, before+renames)
	}
}
