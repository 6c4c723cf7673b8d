// Package memlimit keeps the Go runtime's soft memory limit
// (runtime/debug.SetMemoryLimit) at a floor, raised only as far as the
// live heap needs.
//
// The collector lets the heap grow to twice what is live (GOGC=100): at a
// million keys serve's caches hold ~300–450 MB live, so bulk work (an
// import, a rotation of every key) ran at ~1 GB. Under the floor the heap
// is collected before it reaches it. A fixed limit alone would fail a
// larger key set: once the live heap nears it, the collector runs back to
// back (the runtime caps it at half the CPU), and /auth would pay for it.
// So the limit follows the live heap upward, a quarter and 64 MiB above
// it, and comes back to the floor when the heap shrinks.
package memlimit

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/keyrack/keyrack/clock"
)

// DefaultFloor is serve's floor: at a million keys its RSS stays under
// 800 MB with the file's pages it maps (see docs/BENCHMARKS.md).
const DefaultFloor = 640 << 20

// For returns the limit for a live heap of live bytes: floor, or live plus
// a quarter and 64 MiB when that is more.
func For(floor, live uint64) uint64 {
	return max(floor, live+live/4+64<<20)
}

// Keeper sets the runtime's memory limit every Every (default 1 s) until
// its context ends. Live and Set default to the runtime's live heap (as
// of the last collection) and debug.SetMemoryLimit.
type Keeper struct {
	Floor uint64
	Clock clock.Clock
	Every time.Duration
	Live  func() uint64
	Set   func(int64) int64
}

// Run keeps the limit until ctx ends, then gives back the one it found.
func (k Keeper) Run(ctx context.Context) {
	if k.Every <= 0 {
		k.Every = time.Second
	}
	if k.Live == nil {
		k.Live = liveHeap
	}
	if k.Set == nil {
		k.Set = debug.SetMemoryLimit
	}
	var set uint64
	previous := k.Set(-1) // reads it
	defer k.Set(previous)
	for {
		if limit := For(k.Floor, k.Live()); limit != set {
			k.Set(int64(min(limit, math.MaxInt64)))
			set = limit
		}
		if !clock.Wait(ctx, k.Clock, k.Every, nil) {
			return
		}
	}
}

// liveHeap reads the bytes the last collection found live.
func liveHeap() uint64 { return read("/gc/heap/live:bytes")[0] }

// read reads the runtime's metrics of the given names (0: unknown).
func read(names ...string) []uint64 {
	s := make([]metrics.Sample, len(names))
	for i, name := range names {
		s[i].Name = name
	}
	metrics.Read(s)
	out := make([]uint64, len(names))
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			out[i] = s[i].Value.Uint64()
		}
	}
	return out
}

// ParseSize reads a size such as 640MiB, 1GiB, 800MB or 123456 (bytes);
// "off" and 0 are 0.
func ParseSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	if t == "off" {
		return 0, nil
	}
	units := []struct {
		suffix string
		factor uint64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	factor := uint64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, factor = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.factor
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || n > math.MaxInt64/factor {
		return 0, fmt.Errorf("%q is not a size (e.g. 640MiB, 1GiB, off)", s)
	}
	return n * factor, nil
}
