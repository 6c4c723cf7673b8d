package storage

import (
	"context"
	"errors"
	"runtime/debug"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

// gcPercent is the collector's GOGC setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// gcDuringLoad notes the collector's setting while each load reads, and
// makes a load fail (fail returns an error) or panic (fail panics).
type gcDuringLoad struct {
	kv.Backend
	seen []int
	fail func() error
}

func (b *gcDuringLoad) Load(ctx context.Context, ranges []kv.Range, fn func(i int, key, value []byte) error) (int64, error) {
	b.seen = append(b.seen, gcPercent())
	if b.fail != nil {
		return 0, b.fail()
	}
	return b.Backend.Load(ctx, ranges, fn)
}

// A load on a file pauses the collector and gives it back as it was, even
// when loads overlap and end in either order, and after a whole Preload.
func TestLoadsGiveTheCollectorBack(t *testing.T) {
	s, _ := openTest(t)
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	for _, firstEndsFirst := range []bool{true, false} {
		first := s.pauseGC()
		if gcPercent() != -1 {
			t.Fatal("the collector runs during a load from a file")
		}
		second := s.pauseGC()
		if firstEndsFirst {
			first()
			second()
		} else {
			second()
			first()
		}
		if got := gcPercent(); got != 150 {
			t.Fatalf("after two overlapping loads GOGC is %d, want 150", got)
		}
	}
	mustCreate(t, s, "one")
	must(t, s.Preload())
	if got := gcPercent(); got != 150 {
		t.Fatalf("after Preload GOGC is %d, want 150", got)
	}
}

// Only Preload, before the process serves, loads with the collector
// paused; a load on first use (or again after a lost change stream) runs
// beside sessions that keep allocating, and keeps it.
func TestOnlyPreloadPausesTheCollector(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	for _, preload := range []bool{true, false} {
		s, _ := openTest(t)
		mustCreate(t, s, "one")
		spy := &gcDuringLoad{Backend: s.kv}
		s.kv = spy
		if preload {
			must(t, s.Preload())
		} else if _, err := s.Keys(); err != nil {
			t.Fatal(err)
		}
		want := 150
		if preload {
			want = -1
		}
		if len(spy.seen) != 1 || spy.seen[0] != want {
			t.Errorf("preload %v: GOGC during the load %v, want [%d]", preload, spy.seen, want)
		}
		if got := gcPercent(); got != 150 {
			t.Errorf("preload %v: GOGC after the load %d, want 150", preload, got)
		}
	}
}

// A Preload whose load fails or panics gives the collector back.
func TestAFailedPreloadGivesTheCollectorBack(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	for name, fail := range map[string]func() error{
		"fails":  func() error { return errors.New("broken disk") },
		"panics": func() error { panic("broken decoder") },
	} {
		s, _ := openTest(t)
		s.kv = &gcDuringLoad{Backend: s.kv, fail: fail}
		func() {
			defer func() { _ = recover() }()
			if err := s.Preload(); err == nil {
				t.Errorf("a Preload that %s returned no error", name)
			}
		}()
		if got := gcPercent(); got != 150 {
			t.Errorf("after a Preload that %s GOGC is %d, want 150", name, got)
		}
	}
}
