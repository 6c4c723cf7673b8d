package storage

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// allKeys lists the snapshot's keys in display order.
func allKeys(t testing.TB, s *Store) []model.Key {
	t.Helper()
	sn, err := s.Keys()
	must(t, err)
	keys := make([]model.Key, sn.Len())
	for i := range keys {
		keys[i] = sn.At(i)
	}
	return keys
}

// Caches rebuilt after bulk work hold every key as they held it, in the
// same order, each token still finds its key, and later commits still
// reach them.
func TestCompactedCachesHoldWhatTheyHeld(t *testing.T) {
	s, clk := openTest(t)
	lago := lagoKeys(1500)
	_, err := s.Import("tester", InOneBlock(lago), nil)
	must(t, err)
	before := allKeys(t, s)
	for i, k := range before[:40] { // patched one at a time, as the feed does
		switch i % 3 {
		case 0:
			_, err = s.Rename("tester", k.ID, fmt.Sprintf("renamed %d", i))
		case 1:
			_, err = s.Disable("tester", k.ID)
		default:
			_, _, err = s.Rotate("tester", k.ID, time.Hour)
		}
		must(t, err)
	}
	before = allKeys(t, s)
	owners := map[string]string{} // token → key id, through the auth map
	for _, nk := range lago[:200] {
		if k, err := s.Authenticate(nk.Token, clk.Now()); err == nil {
			owners[nk.Token.Reveal()] = k.ID
		}
	}

	if !s.caches.compact() {
		t.Fatal("compact of loaded caches reports none")
	}
	if after := allKeys(t, s); !reflect.DeepEqual(after, before) {
		t.Fatalf("after compact %d keys, before %d; they differ", len(after), len(before))
	}
	for _, nk := range lago[:200] {
		k, err := s.Authenticate(nk.Token, clk.Now())
		if id, ok := owners[nk.Token.Reveal()]; ok != (err == nil) || (ok && k.ID != id) {
			t.Fatalf("token of %q: before compact key %q, after %q (%v)", nk.Name, id, k.ID, err)
		}
	}
	renamed, err := s.Rename("tester", before[len(before)-1].ID, "after compact")
	must(t, err)
	if got := allKeys(t, s); got[len(got)-1].Name != renamed.Name {
		t.Fatalf("a rename after compact shows %q", got[len(got)-1].Name)
	}
}

// A rebuild never loses a commit applied while it runs: patches wait for it.
func TestCompactLosesNoConcurrentCommit(t *testing.T) {
	s, _ := openTest(t)
	_, err := s.Import("tester", InOneBlock(lagoKeys(3000)), nil)
	must(t, err)
	keys := allKeys(t, s)
	done := make(chan error)
	go func() {
		for i, k := range keys[:150] {
			if _, err := s.Rename("tester", k.ID, fmt.Sprintf("name %d", i)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for running := true; running; {
		select {
		case err := <-done:
			must(t, err)
			running = false
		default:
			s.caches.compact()
		}
	}
	index, _ := s.caches.current()
	for i, k := range keys[:150] {
		if e, ok := index.lookup(k.ID); !ok || e.key().Name != fmt.Sprintf("name %d", i) {
			t.Fatalf("key %d lost its rename to a concurrent compact", i)
		}
	}
}
