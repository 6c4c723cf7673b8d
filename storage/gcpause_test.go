package storage

import (
	"runtime/debug"
	"testing"
)

// A load on a file pauses the collector and gives it back as it was, even
// when loads overlap and end in either order, and after a whole Preload.
func TestLoadsGiveTheCollectorBack(t *testing.T) {
	s, _ := openTest(t)
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	gcPercent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
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
