package memlimit

import "runtime"

// CollectNearGoal runs a collection on the caller's time when the heap has
// grown to within headroom bytes of the collector's goal, and reports
// whether it did. Background work that allocates fast (a compaction's copy
// allocates ~200 MB/s) calls it between its steps: left to the collector,
// such a heap crosses its goal before a cycle ends, and the cycle then
// makes every allocating goroutine assist it, /auth's handlers among them
// (at a million keys, under a memory limit, a compaction held /auth up to
// 0.76 s). The caller waits for the cycle instead.
func CollectNearGoal(headroom uint64) bool {
	m := read("/memory/classes/heap/objects:bytes", "/gc/heap/goal:bytes")
	if m[1] == 0 || !nearGoal(m[0], m[1], headroom) {
		return false
	}
	runtime.GC()
	return true
}

// nearGoal says whether a heap of heap bytes is within headroom of goal.
func nearGoal(heap, goal, headroom uint64) bool {
	return heap+headroom >= goal
}
