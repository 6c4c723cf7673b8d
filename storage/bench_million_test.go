package storage

import (
	"fmt"
	"os"
	"path/filepath"
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
	_, db.err = s.Import("bench", keys, nil)
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
// as serve does before it listens.
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

func benchRename(b *testing.B, s *Store) {
	sn, err := s.Keys()
	must(b, err)
	id := sn.At(sn.Len() / 2).ID
	i := 0
	for b.Loop() {
		i++
		if _, err := s.Rename("bench", id, fmt.Sprintf("renamed %d", i)); err != nil {
			b.Fatal(err)
		}
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
// in a database of a million, and reports the longest time another writer
// waited for the write lock meanwhile (max-lock-wait-ms).
func BenchmarkMillionExpiryPass100000(b *testing.B) {
	s, clk, _ := openBig(b)
	for b.Loop() {
		b.StopTimer()
		importN(b, s, 100000, clk.Now().Add(time.Hour))
		clk.Advance(time.Hour)
		stop, waited := probeWriteLock(s)
		b.StartTimer()
		n, err := s.ApplyDue(clk.Now())
		b.StopTimer()
		if err != nil || n != 100000 {
			b.Fatalf("ApplyDue = %d, %v", n, err)
		}
		stop()
		reportWaits(b, <-waited)
		b.StartTimer()
	}
}

// probeWriteLock takes and releases the write lock in a loop, as another
// writer would, until stop is called; waited then gives every wait.
func probeWriteLock(s *Store) (stop func(), waited <-chan []time.Duration) {
	done := make(chan struct{})
	out := make(chan []time.Duration, 1)
	go func() {
		var waits []time.Duration
		for {
			select {
			case <-done:
				slices.Sort(waits)
				out <- waits
				return
			default:
			}
			start := time.Now()
			s.writeMu.Lock()
			waits = append(waits, time.Since(start))
			s.writeMu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
	return func() { close(done) }, out
}

// reportWaits reports the longest and the 99th percentile of sorted waits.
func reportWaits(b *testing.B, waits []time.Duration) {
	if len(waits) == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(waits[len(waits)-1]), "max-lock-wait-ms")
	b.ReportMetric(ms(waits[len(waits)*99/100]), "p99-lock-wait-ms")
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
		stop, waited := probeWriteLock(s)
		b.StartTimer()
		res, err := s.Import("bench", keys, nil)
		b.StopTimer()
		stop()
		if err != nil || res.Imported != n {
			b.Fatalf("Import = %+v, %v", res, err)
		}
		reportWaits(b, <-waited)
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
