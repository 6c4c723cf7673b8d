package storage

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func snapshotIDs(sn *Snapshot) []string {
	var ids []string
	sn.Ascend(0, func(_ int, k model.Key) bool {
		ids = append(ids, k.ID)
		return true
	})
	return ids
}

func TestRotationFamilyKeepsItsPlaceAfterTheOldKeyGoes(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		def := onlyKey(t, s)
		clk.Advance(time.Second)
		a, _ := mustCreate(t, s, "a")
		clk.Advance(time.Second)
		b, _ := mustCreate(t, s, "b")
		clk.Advance(time.Second)
		a2, _, err := s.Rotate("t", a.ID, time.Hour)
		must(t, err)
		sn, err := s.Keys()
		must(t, err)
		if got, want := snapshotIDs(sn), []string{def.ID, a.ID, a2.ID, b.ID}; !slices.Equal(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		clk.Advance(time.Hour)
		if _, err := s.ApplyDue(clk.Now()); err != nil {
			t.Fatal(err)
		}
		a3, _, err := s.Rotate("t", a2.ID, 0)
		must(t, err)
		want := []string{def.ID, a3.ID, b.ID}
		sn, _ = s.Keys()
		if got := snapshotIDs(sn); !slices.Equal(got, want) {
			t.Fatalf("after the old keys went: %v, want %v", got, want)
		}
		if got := snapshotIDs(&Snapshot{index: mustRead(t, s)}); !slices.Equal(got, want) {
			t.Fatalf("read back from the database: %v, want %v", got, want)
		}
	})
}

func mustRead(t *testing.T, s *Store) keyIndex {
	t.Helper()
	index, _, _, err := s.loadCaches(context.Background())
	must(t, err)
	return index
}

func TestSnapshotDoesNotChangeUnderItsReader(t *testing.T) {
	s, _ := openTest(t)
	before, err := s.Keys()
	must(t, err)
	k, _ := mustCreate(t, s, "later")
	if before.Len() != 1 {
		t.Fatalf("old snapshot has %d keys after a create", before.Len())
	}
	after, _ := s.Keys()
	if after.Len() != 2 {
		t.Fatalf("new snapshot has %d keys", after.Len())
	}
	if i, ok := after.Find(k.ID); !ok || after.At(i).ID != k.ID {
		t.Fatalf("Find(%s) = %d, %v", k.ID, i, ok)
	}
	if _, ok := before.Find(k.ID); ok {
		t.Fatal("old snapshot finds a key created after it")
	}
}

func TestSnapshotPositionsAgreeAtEveryIndex(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		for i := 0; i < 300; i++ { // several B-tree nodes
			clk.Advance(time.Millisecond)
			mustCreate(t, s, "k")
		}
		sn, _ := s.Keys()
		ids := snapshotIDs(sn)
		if len(ids) != 301 {
			t.Fatalf("%d keys", len(ids))
		}
		for i, id := range ids {
			if sn.At(i).ID != id {
				t.Fatalf("At(%d) = %s, Ascend says %s", i, sn.At(i).ID, id)
			}
			if j, ok := sn.Find(id); !ok || j != i {
				t.Fatalf("Find(%s) = %d, %v, want %d", id, j, ok, i)
			}
		}
		var from []string
		sn.Ascend(290, func(i int, k model.Key) bool {
			from = append(from, k.ID)
			return i < 295
		})
		if !slices.Equal(from, ids[290:296]) {
			t.Fatalf("Ascend(290) gave %v", from)
		}
	})
}

func TestCachesLoadWhileCommitsGoOn(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(path, Options{Clock: clock.NewFake(t0)})
	must(t, err)
	defer s.Close()
	done := make(chan struct{})
	var created []model.Key
	go func() {
		defer close(done)
		for i := 0; i < 50; i++ {
			k, _, err := s.Create("t", "k", model.AllPermissions())
			if err != nil {
				t.Error(err)
				return
			}
			created = append(created, k)
		}
	}()
	must(t, s.Preload())
	<-done
	sn, _ := s.Keys()
	if sn.Len() != 51 {
		t.Fatalf("snapshot has %d keys, want 51", sn.Len())
	}
	for _, k := range created {
		if _, ok := sn.Find(k.ID); !ok {
			t.Fatalf("key %s created during the load is missing", k.ID)
		}
	}
	if err := s.Ready(); err != nil {
		t.Fatal(err)
	}
}

func TestReadyOnlyOnceTheCachesAreLoaded(t *testing.T) {
	s, _ := openTest(t)
	if s.Ready() == nil {
		t.Fatal("ready before the caches were loaded")
	}
	must(t, s.Preload())
	must(t, s.Ready())
}

func TestEachKeyStreamsTheDisplayOrderFromTheFile(t *testing.T) {
	s, clk := openTest(t)
	for i := 0; i < streamPage+5; i++ {
		clk.Advance(time.Millisecond)
		mustCreate(t, s, "k")
	}
	sn, _ := s.Keys()
	rotated, _, err := s.Rotate("t", sn.At(3).ID, time.Hour)
	must(t, err)
	sn, _ = s.Keys()
	want := snapshotIDs(sn)
	var got []string
	must(t, s.EachKey(func(k model.Key) error { got = append(got, k.ID); return nil }))
	if !slices.Equal(got, want) {
		t.Fatalf("EachKey gave %d keys, the snapshot %d; equal order: %v", len(got), len(want), slices.Equal(got, want))
	}
	if got[4] != rotated.ID {
		t.Error("the rotation's new key does not follow its predecessor")
	}
}
