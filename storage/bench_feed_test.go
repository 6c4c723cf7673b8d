package storage

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// The feed's benchmarks: start to ready, authentication, cache memory and
// change propagation, on bbolt and on the package's embedded etcd. Like
// the Million ones they run only with -bench.

func importLago(b *testing.B, s *Store, n int) model.Token {
	keys := lagoKeys(n)
	if _, err := s.Import("bench", InOneBlock(keys), nil); err != nil {
		b.Fatal(err)
	}
	return keys[n/2].Token // the Million database's token is the same one
}

// authsPerOp: each op of the authentication benchmarks is this many
// calls, so that a run of a few ops (the Million ones) still measures
// millions of calls; ns/auth is the figure.
const authsPerOp = 200000

func benchAuthenticateToken(b *testing.B, s *Store, tok model.Token) {
	must(b, s.Preload())
	debug.FreeOSMemory() // the load's garbage: collected before, not during
	now := s.Now()
	b.ReportAllocs()
	for b.Loop() {
		for range authsPerOp {
			if _, err := s.Authenticate(tok, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*authsPerOp), "ns/auth")
}

// BenchmarkAuthenticateLago10 is BenchmarkMillionAuthenticate's baseline:
// the same kind of token (a Lago UUID), 10 keys instead of a million.
func BenchmarkAuthenticateLago10(b *testing.B) {
	s, _ := openTest(b)
	benchAuthenticateToken(b, s, importLago(b, s, 10))
}

// BenchmarkStartToReady100000: open a 100,000-key bbolt file and load
// every cache, as serve does before it serves HTTP.
func BenchmarkStartToReady100000(b *testing.B) {
	s, _ := openTest(b)
	importLago(b, s, 100000)
	path := s.Path()
	must(b, s.Close())
	defer reportCPU(b, processCPU())
	benchOpenToReady(b, func() (*Store, error) { return Open(path, Options{Clock: clock.NewFake(t0)}) })
}

// BenchmarkMillionCacheBytes reports the heap the caches of the Million
// database take once loaded, per key (B/key).
func BenchmarkMillionCacheBytes(b *testing.B) {
	db := bigOnce()
	if db.err != nil {
		b.Fatal(db.err)
	}
	b.Setenv(MasterKeyEnv, "")
	for b.Loop() {
		s, err := Open(db.path, Options{Clock: clock.NewFake(t0)})
		must(b, err)
		before := liveHeap()
		must(b, s.Preload())
		after := liveHeap()
		sn, err := s.Keys()
		must(b, err)
		b.ReportMetric(float64(after-before)/float64(sn.Len()), "B/key")
		s.Close()
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkEtcdAuthenticate10000 and BenchmarkBoltAuthenticate10000: the
// same 10,000 imported keys, authenticated on each backend (from memory:
// the backend does not enter).
func BenchmarkEtcdAuthenticate10000(b *testing.B) {
	s := openEtcd(b, newEtcdPrefix(), Options{Clock: clock.NewFake(t0)})
	benchAuthenticateToken(b, s, importLago(b, s, 10000))
}

func BenchmarkBoltAuthenticate10000(b *testing.B) {
	s, _ := openTest(b)
	benchAuthenticateToken(b, s, importLago(b, s, 10000))
}

// BenchmarkEtcdStartToReady100000: a node opening a 100,000-key etcd
// prefix and loading every cache (sharded, at one revision).
func BenchmarkEtcdStartToReady100000(b *testing.B) { benchEtcdStartToReady(b, 100000) }

// BenchmarkEtcdStartToReady1000000: the same at a million keys (the
// import into the embedded etcd takes minutes; run it alone).
func BenchmarkEtcdStartToReady1000000(b *testing.B) { benchEtcdStartToReady(b, 1000000) }

func benchEtcdStartToReady(b *testing.B, keys int) {
	prefix := newEtcdPrefix()
	s := openEtcd(b, prefix, Options{Clock: clock.NewFake(t0)})
	importLago(b, s, keys)
	defer reportCPU(b, processCPU()) // the embedded etcd server's included
	benchOpenToReady(b, func() (*Store, error) { return tryOpenEtcd(b, prefix, Options{Clock: clock.NewFake(t0)}) })
}

// benchOpenToReady times, per iteration, opening a store with open and
// loading every cache until it is ready, as serve does before it serves
// HTTP.
func benchOpenToReady(b *testing.B, open func() (*Store, error)) {
	for b.Loop() {
		s, err := open()
		if err == nil {
			err = s.Preload()
		}
		if err == nil {
			err = s.Ready()
		}
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkEtcdPropagation: two stores on one etcd; each iteration renames
// a key on one and waits for the rename to reach the other's subscribers
// (its caches are patched before they are told). p50 and p99 of the time
// from Rename's return to the event (-benchtime 1000x for 1,000 changes).
func BenchmarkEtcdPropagation(b *testing.B) {
	prefix := newEtcdPrefix()
	writer := openEtcd(b, prefix, Options{Clock: clock.NewFake(t0), Node: "writer"})
	reader := openEtcd(b, prefix, Options{Clock: clock.NewFake(t0), Node: "reader"})
	k, _ := mustCreate(b, writer, "moving")
	must(b, reader.Preload())
	sub := reader.Watch()
	defer sub.Close()
	var lags []time.Duration
	i := 0
	for b.Loop() {
		i++
		if _, err := writer.Rename("bench", k.ID, fmt.Sprintf("name %d", i)); err != nil {
			b.Fatal(err)
		}
		done := time.Now()
		for arrived := false; !arrived; {
			<-sub.C()
			for _, e := range sub.Events() {
				arrived = arrived || (e.Action == model.ActionRename && e.KeyID == k.ID)
			}
		}
		lags = append(lags, time.Since(done))
	}
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds()), "p99-us")
}

// BenchmarkMillionAuthenticateVs10 authenticates on the Million database
// and on one of 10 keys in alternating rounds, so that the shared
// machine's load falls on both alike, and reports the ratio of their wall
// times and of their CPU times (this thread's, from getrusage).
func BenchmarkMillionAuthenticateVs10(b *testing.B) {
	big, _, db := openBig(b)
	small, _ := openTest(b)
	smallTok := importLago(b, small, 10)
	must(b, big.Preload())
	must(b, small.Preload())
	debug.FreeOSMemory()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const round = 20000
	var wall, cpu [2]time.Duration // big, small
	timeRound := func(s *Store, tok model.Token, i int) {
		now := s.Now()
		c0, w0 := threadCPU(), time.Now()
		for range round {
			if _, err := s.Authenticate(tok, now); err != nil {
				b.Fatal(err)
			}
		}
		wall[i] += time.Since(w0)
		cpu[i] += threadCPU() - c0
	}
	for b.Loop() {
		for range 10 {
			timeRound(big, db.token, 0)
			timeRound(small, smallTok, 1)
		}
	}
	calls := float64(b.N * 10 * round)
	b.ReportMetric(float64(wall[0].Nanoseconds())/calls, "ns/auth-1M")
	b.ReportMetric(float64(wall[1].Nanoseconds())/calls, "ns/auth-10")
	b.ReportMetric(float64(wall[0])/float64(wall[1]), "wall-ratio")
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-ratio")
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the CPU time the whole process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process's CPU seconds per op since start: on a
// shared machine wall time says how busy the others were, CPU time what
// the work costs (on 2 idle cores a parallel load takes about half of it).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
}
