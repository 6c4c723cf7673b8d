package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// The Million benchmarks run only with -bench: the database of a million
// keys is built once per run, with Import, and removed when the run ends.
// KEYRACK_BENCH_KEYS sets another size for a quick run.

// bigDB is the shared database of the Million benchmarks.
type bigDB struct {
	dir, path string
	token     model.Token // a token of one imported key
	err       error
}

var bigOnce = sync.OnceValue(buildBigDB)

func benchKeys() int {
	if n, err := strconv.Atoi(os.Getenv("KEYRACK_BENCH_KEYS")); err == nil && n > 0 {
		return n
	}
	return 1000000
}

// bigDBDir is where this run builds the shared database.
func bigDBDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("keyrack-bench-%d", os.Getpid()))
}

func buildBigDB() *bigDB {
	db := &bigDB{dir: bigDBDir()}
	if db.err = os.MkdirAll(db.dir, 0o700); db.err != nil {
		return db
	}
	db.path = filepath.Join(db.dir, "big.db")
	os.Setenv(MasterKeyEnv, "")
	s, err := Open(db.path, Options{Clock: clock.NewFake(t0)})
	if db.err = err; err != nil {
		return db
	}
	defer s.Close()
	n := benchKeys()
	keys := lagoKeys(n)
	db.token = keys[n/2].Token
	start := time.Now()
	_, db.err = s.Import("bench", InOneBlock(keys), nil)
	fmt.Fprintf(os.Stderr, "built %d keys with Import in %s\n", n, time.Since(start).Round(time.Millisecond))
	return db
}

// removeBigDB deletes the shared database, if a benchmark built it.
func removeBigDB() { os.RemoveAll(bigDBDir()) }

// openBig opens the shared database on a fake clock.
func openBig(b *testing.B) (*Store, *clock.Fake, *bigDB) {
	b.Helper()
	db := bigOnce()
	if db.err != nil {
		b.Fatal(db.err)
	}
	b.Setenv(MasterKeyEnv, "")
	clk := clock.NewFake(t0)
	s, err := Open(db.path, Options{Clock: clk})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, clk, db
}

// BenchmarkMillionStartToReady opens the database and loads every cache,
// as serve does before it serves HTTP.
func BenchmarkMillionStartToReady(b *testing.B) {
	db := bigOnce()
	if db.err != nil {
		b.Fatal(db.err)
	}
	b.Setenv(MasterKeyEnv, "")
	defer reportCPU(b, processCPU())
	benchOpenToReady(b, func() (*Store, error) { return Open(db.path, Options{Clock: clock.NewFake(t0)}) })
}

// BenchmarkMillionAuthenticate is BenchmarkAuthenticateLago10 at a million keys.
func BenchmarkMillionAuthenticate(b *testing.B) {
	s, _, db := openBig(b)
	benchAuthenticateToken(b, s, db.token)
}

// renamer renames the key in the middle of s's list, to a new name on
// every call.
func renamer(b *testing.B, s *Store) (rename func()) {
	sn, err := s.Keys()
	must(b, err)
	id := sn.At(sn.Len() / 2).ID
	i := 0
	return func() {
		i++
		if _, err := s.Rename("bench", id, fmt.Sprintf("renamed %d", i)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRename(b *testing.B, s *Store) {
	rename := renamer(b, s)
	for b.Loop() {
		rename()
	}
}

// BenchmarkRename1000 and BenchmarkMillionRename: one rename with the
// caches loaded, at 1,000 and at a million keys.
func BenchmarkRename1000(b *testing.B) {
	s, _ := openTest(b)
	importN(b, s, 999, time.Time{})
	must(b, s.Preload())
	benchRename(b, s)
}

func BenchmarkMillionRename(b *testing.B) {
	s, _, _ := openBig(b)
	must(b, s.Preload())
	benchRename(b, s)
}

// BenchmarkMillionRenameVs1000 renames on the Million database and on one
// of 1,000 keys in alternating rounds of 20, so that the shared machine's
// load (and its disk's) falls on both alike, and reports the ratio of
// their wall times and of the process's CPU times (the caches take the
// change in on another goroutine).
func BenchmarkMillionRenameVs1000(b *testing.B) {
	big, _, _ := openBig(b)
	small, _ := openTest(b)
	importN(b, small, 999, time.Time{})
	must(b, big.Preload())
	must(b, small.Preload())
	renames := [2]func(){renamer(b, big), renamer(b, small)}
	debug.FreeOSMemory()
	const round = 20
	var wall, cpu [2]time.Duration
	for b.Loop() {
		for i, rename := range renames {
			c0, w0 := processCPU(), time.Now()
			for range round {
				rename()
			}
			wall[i] += time.Since(w0)
			cpu[i] += processCPU() - c0
		}
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.N*round) }
	b.ReportMetric(ms(wall[0]), "ms/rename-1M")
	b.ReportMetric(ms(wall[1]), "ms/rename-1000")
	b.ReportMetric(float64(wall[0])/float64(wall[1]), "wall-ratio")
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-ratio")
}

// benchChangeReaches measures one change reaching n watchers that each, as
// a dashboard does, take a snapshot and read the 30 rows around a key.
func benchChangeReaches(b *testing.B, s *Store, n int) {
	must(b, s.Preload())
	sn, _ := s.Keys()
	id := sn.At(sn.Len() / 2).ID
	var wg sync.WaitGroup
	subs := make([]*Subscription, n)
	for i := range subs {
		subs[i] = s.Watch()
		go func(sub *Subscription) {
			for range sub.C() {
				sub.Events()
				snap, _ := s.Keys()
				at, _ := snap.Find(id)
				snap.Ascend(max(at-15, 0), func(i int, _ model.Key) bool { return i < at+15 })
				wg.Done()
			}
		}(subs[i])
	}
	b.Cleanup(func() {
		for _, sub := range subs {
			sub.Close()
		}
	})
	i := 0
	for b.Loop() {
		i++
		wg.Add(n)
		if _, err := s.Rename("bench", id, fmt.Sprintf("renamed %d", i)); err != nil {
			b.Fatal(err)
		}
		wg.Wait()
	}
}

func BenchmarkMillionChangeReaches1(b *testing.B) {
	s, _, _ := openBig(b)
	benchChangeReaches(b, s, 1)
}

func BenchmarkMillionChangeReaches50(b *testing.B) {
	s, _, _ := openBig(b)
	benchChangeReaches(b, s, 50)
}

// BenchmarkMillionExpiryPass100000 applies an expiry pass of 100,000 keys
// in a database of a million, and reports what benchBulk does.
func BenchmarkMillionExpiryPass100000(b *testing.B) {
	s, clk, _ := openBig(b)
	sn, err := s.Keys()
	must(b, err)
	other := sn.At(0).ID
	for b.Loop() {
		b.StopTimer()
		importN(b, s, 100000, clk.Now().Add(time.Hour))
		clk.Advance(time.Hour)
		benchBulk(b, s, other, func() (int, error) {
			n, err := s.ApplyDue(clk.Now())
			if err == nil && n != 100000 {
				err = fmt.Errorf("%d keys expired, want 100000", n)
			}
			return n, err
		})
		b.StartTimer()
	}
}

// BenchmarkMillionRotateAll rotates every key of a copy of the Million
// database, as `keys rotate --all --in 24h` does, and reports what
// benchBulk does.
func BenchmarkMillionRotateAll(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, _ := openBigCopy(b)
		sn, err := s.Keys()
		must(b, err)
		benchBulk(b, s, sn.At(0).ID, func() (int, error) {
			res, err := s.RotateAll("bench", 24*time.Hour, nil)
			return res.Rotated, err
		})
		must(b, s.Close())
		b.StartTimer()
	}
}

// BenchmarkMillionHeapAfterRotation reports the live heap of a store
// that has loaded the Million database (fresh-heap-MB), then rotated every
// key with a grace period (grace-heap-MB: old and new keys), then retired
// the old keys (after-heap-MB), and after/fresh: what bulk work leaves
// behind in memory, the caches and the change history alike.
func BenchmarkMillionHeapAfterRotation(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, clk := openBigCopy(b)
		must(b, s.Preload())
		fresh, freshSpans := heapAndSpans()
		var grace uint64
		rotateThenRetire(b, s, clk, func() { grace = liveHeap() })
		after, afterSpans := heapAndSpans()
		must(b, s.Close())
		mb := func(n uint64) float64 { return float64(n) / (1 << 20) }
		b.ReportMetric(mb(fresh), "fresh-heap-MB")
		b.ReportMetric(mb(grace), "grace-heap-MB")
		b.ReportMetric(mb(after), "after-heap-MB")
		b.ReportMetric(float64(after)/float64(fresh), "after/fresh")
		b.ReportMetric(mb(freshSpans), "fresh-spans-MB")
		b.ReportMetric(mb(afterSpans), "after-spans-MB")
		b.StartTimer()
	}
}

// BenchmarkMillionAuthDuringRotation authenticates one token every
// millisecond, as /auth does, while a copy of the Million database rotates
// every key with a grace period and then retires the old keys in one
// expiry pass, and reports how long the authentications took: the longest
// (max-auth-ms), the 99th percentile and how many took over 50 ms
// (over-50ms). What it measures is the gate's wait on bulk work in
// process (the caches' lock, the collector, the file's pages), without
// HTTP; the time per op is the rotation's and the pass's.
func BenchmarkMillionAuthDuringRotation(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, clk := openBigCopy(b)
		must(b, s.Preload())
		debug.FreeOSMemory() // the load's garbage: collected before, not during
		stop := probeAuth(s, bigOnce().token, clk)
		b.StartTimer()
		rotateThenRetire(b, s, clk, func() {})
		b.StopTimer()
		took := stop()
		must(b, s.Close())
		reportDurations(b, took, "auth-ms")
		over := 0
		for _, d := range took {
			if d > 50*time.Millisecond {
				over++
			}
		}
		b.ReportMetric(float64(over), "over-50ms")
		b.ReportMetric(float64(len(took)), "auths")
		b.StartTimer()
	}
}

// heapAndSpans is the heap in use after a full collection, and the bytes
// of the spans that hold it (HeapInuse: what the process keeps resident
// for it, gaps between live objects included).
func heapAndSpans() (live, spans uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.HeapInuse
}

// rotateThenRetire rotates every key with a day's grace period, calls
// between, then lets the day pass and retires the old keys in one expiry
// pass.
func rotateThenRetire(b *testing.B, s *Store, clk *clock.Fake, between func()) {
	_, err := s.RotateAll("bench", 24*time.Hour, nil)
	must(b, err)
	between()
	clk.Advance(25 * time.Hour)
	_, err = s.ApplyDue(clk.Now())
	must(b, err)
}

// probeAuth authenticates tok every millisecond until stop is called,
// timing each call; its answer (the key, or its end at expiry) does not
// matter.
func probeAuth(s *Store, tok model.Token, clk *clock.Fake) (stop func() []time.Duration) {
	done := make(chan struct{})
	out := make(chan []time.Duration, 1)
	go func() {
		var took []time.Duration
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				out <- took
				return
			case <-tick.C:
			}
			start := time.Now()
			_, _ = s.Authenticate(tok, clk.Now())
			took = append(took, time.Since(start))
		}
	}()
	return func() []time.Duration { close(done); return <-out }
}

// openBigCopy opens a copy of the shared database on a fake clock, for a
// benchmark that changes every key.
func openBigCopy(b *testing.B) (*Store, *clock.Fake) {
	b.Helper()
	db := bigOnce()
	if db.err != nil {
		b.Fatal(db.err)
	}
	path := filepath.Join(b.TempDir(), "copy.db")
	for _, suffix := range []string{"", ".key"} {
		data, err := os.ReadFile(db.path + suffix)
		must(b, err)
		must(b, os.WriteFile(path+suffix, data, 0o600))
	}
	b.Setenv(MasterKeyEnv, "")
	clk := clock.NewFake(t0)
	s, err := Open(path, Options{Clock: clk})
	must(b, err)
	return s, clk
}

// benchBulk times one bulk operation (run, which returns how many keys it
// did) while another writer, a last-used flush of key other, writes every
// millisecond. It reports the longest and 99th-percentile time each chunk
// held the write lock (hold-ms), how long the other writer waited for the
// lock (lock-wait-ms) and for its whole write (write-ms: the wait, its
// commit, the caches), and where the chunks' time went in bbolt: pages
// written per key and the share of the hold spent writing and syncing
// them (bbolt-write-share); and the time per key. The timer runs only
// around run.
func benchBulk(b *testing.B, s *Store, other string, run func() (int, error)) {
	holds := watchHolds(s)
	before := s.file.DB().Stats().TxStats
	stop := probeWriter(s, other)
	b.StartTimer()
	began := time.Now()
	n, err := run()
	took := time.Since(began)
	b.StopTimer()
	p := stop()
	all := holds()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(took.Microseconds())/float64(n), "us/key")
	chunks := without(all, p.holds)
	reportDurations(b, chunks, "hold-ms")
	b.ReportMetric(float64(len(chunks)), "chunks/op")
	reportDurations(b, p.lockWaits, "lock-wait-ms")
	reportDurations(b, p.writes, "write-ms")
	tx := s.file.DB().Stats().TxStats
	tx = tx.Sub(&before)
	b.ReportMetric(float64(tx.GetWrite())/float64(n), "pages/key")
	b.ReportMetric(tx.GetWriteTime().Seconds()/total(all).Seconds(), "bbolt-write-share")
}

// watchHolds collects how long each commit holds the write lock; the
// returned function stops it and gives them.
func watchHolds(s *Store) func() []time.Duration {
	var holds []time.Duration
	s.writeMu.Lock() // commit reads the hook under writeMu
	s.heldHook = func(d time.Duration) { holds = append(holds, d) }
	s.writeMu.Unlock()
	return func() []time.Duration {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
		s.heldHook = nil
		return holds
	}
}

// without returns all less one of each of some (the same values).
func without(all, some []time.Duration) []time.Duration {
	left := slices.Clone(all)
	for _, d := range some {
		if i := slices.Index(left, d); i >= 0 {
			left = slices.Delete(left, i, i+1)
		}
	}
	return left
}

func total(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// probed is what probeWriter saw, one entry per write.
type probed struct {
	lockWaits, writes, holds []time.Duration
}

// probeWriter writes a last use of key id (none, when no such key) every
// millisecond, as /auth's flush does, until stop is called, timing each
// write: its wait for the write lock, the whole write (its commit and the
// caches taking it in) and its hold of the lock.
func probeWriter(s *Store, id string) (stop func() probed) {
	done := make(chan struct{})
	out := make(chan probed, 1)
	go func() {
		var p probed
		for {
			select {
			case <-done:
				out <- p
				return
			default:
			}
			start := time.Now()
			var waited time.Duration
			held, err := s.updateHeld(func(w *wtx) error {
				waited = time.Since(start)
				return w.noteUse(id, w.now)
			})
			if err != nil {
				panic(err)
			}
			p.lockWaits = append(p.lockWaits, waited)
			p.writes = append(p.writes, time.Since(start))
			p.holds = append(p.holds, held)
			time.Sleep(time.Millisecond)
		}
	}()
	return func() probed { close(done); return <-out }
}

// reportDurations reports the longest and the 99th percentile of ds as
// max-UNIT and p99-UNIT, in milliseconds.
func reportDurations(b *testing.B, ds []time.Duration, unit string) {
	if len(ds) == 0 {
		return
	}
	ds = slices.Sorted(slices.Values(ds))
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)-1]), "max-"+unit)
	b.ReportMetric(ms(ds[len(ds)*99/100]), "p99-"+unit)
}

// BenchmarkMillionImport imports benchKeys() Lago keys into an empty
// database, as `keys import` does after reading the file, and reports how
// long another writer waited for the write lock meanwhile.
func BenchmarkMillionImport(b *testing.B) {
	n := benchKeys()
	for b.Loop() {
		b.StopTimer()
		s, _ := openTest(b)
		keys := lagoKeys(n)
		stop := probeWriter(s, "")
		b.StartTimer()
		res, err := s.Import("bench", InOneBlock(keys), nil)
		b.StopTimer()
		p := stop()
		if err != nil || res.Imported != n {
			b.Fatalf("Import = %+v, %v", res, err)
		}
		reportDurations(b, p.lockWaits, "lock-wait-ms")
		s.Close()
		b.StartTimer()
	}
}

// lagoKeys makes n keys as a Lago export gives them: UUID tokens, created
// in order.
func lagoKeys(n int) []NewKey {
	keys := make([]NewKey, n)
	for i := range keys {
		tok, _ := model.ParseLagoToken(fmt.Sprintf("%08x-6b7d-4e21-9a0b-%012x", i, i))
		keys[i] = NewKey{Name: fmt.Sprintf("key %d", i), Permissions: model.AllPermissions(), Token: tok,
			CreatedAt: t0.Add(-time.Duration(n-i) * time.Second)}
	}
	return keys
}
