package memlimit

import (
	"runtime"
	"testing"
)

func TestNearGoal(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		heap, goal uint64
		want       bool
	}{{100 * mb, 600 * mb, false}, {535 * mb, 600 * mb, false}, {536 * mb, 600 * mb, true}, {700 * mb, 600 * mb, true}} {
		if got := nearGoal(c.heap, c.goal, 64*mb); got != c.want {
			t.Errorf("nearGoal(%d MiB, goal %d MiB, 64 MiB) = %v", c.heap/mb, c.goal/mb, got)
		}
	}
}

// Far from its goal the heap is left to the collector; with a headroom
// larger than the goal the caller collects, and a cycle completes.
func TestCollectNearGoalCollectsOnlyNearTheGoal(t *testing.T) {
	runtime.GC()
	if CollectNearGoal(0) {
		t.Error("collected right after a collection, far from the goal")
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if !CollectNearGoal(1 << 62) {
		t.Fatal("did not collect within a headroom larger than the goal")
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.NumGC <= before.NumGC {
		t.Errorf("collections %d before, %d after", before.NumGC, after.NumGC)
	}
}
