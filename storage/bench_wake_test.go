package storage

import (
	"testing"
	"time"
)

// BenchmarkWakeAfterCommit100000Expiring is the scheduler's wake after a
// commit (here a rename) while 100,000 keys are expiring, as during a
// rotation's grace period: it applies what is due and asks when the next
// thing is (scheduler.step), with reminders on as in serve.
func BenchmarkWakeAfterCommit100000Expiring(b *testing.B) {
	s, clk := openTest(b)
	withReminders(s)
	importN(b, s, 100000, clk.Now().Add(3*24*time.Hour))
	must(b, s.Preload())
	rename := renamer(b, s)
	wake := func() {
		if _, err := s.ApplyDue(clk.Now()); err != nil {
			b.Fatal(err)
		}
		if _, ok, err := s.NextDue(); err != nil || !ok {
			b.Fatalf("NextDue: %v, %v", ok, err)
		}
	}
	wake() // the scheduler's first wake at start, not timed
	for b.Loop() {
		rename()
		wake()
	}
}

// BenchmarkRename100000Expiring is the rename of
// BenchmarkWakeAfterCommit100000Expiring alone: the part of a wake's cost
// that is the commit itself.
func BenchmarkRename100000Expiring(b *testing.B) {
	s, clk := openTest(b)
	importN(b, s, 100000, clk.Now().Add(3*24*time.Hour))
	must(b, s.Preload())
	benchRename(b, s)
}
