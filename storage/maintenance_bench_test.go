package storage

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkVerifyStructure100000 is what the first write of every process
// pays: the size check, every page read, and bbolt's consistency check.
func BenchmarkVerifyStructure100000(b *testing.B) {
	s, _ := seed(b, 100000, true)
	b.ResetTimer()
	for range b.N {
		s.writeMu.Lock()
		err := s.verifyStructure()
		s.writeMu.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck100000 is `keyrack check`: the structure, the invariants,
// every sealed secret opened and hashed.
func BenchmarkCheck100000(b *testing.B) {
	s, _ := seed(b, 100000, true)
	b.ResetTimer()
	for range b.N {
		if r := s.Check(); len(r.Problems) != 0 {
			b.Fatal(r.Problems)
		}
	}
}

// BenchmarkBackup100000 writes a backup (free pages zeroed) to nowhere.
func BenchmarkBackup100000(b *testing.B) {
	s, _ := seed(b, 100000, true)
	b.ResetTimer()
	for range b.N {
		n, err := s.Backup(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(n)
	}
}

// BenchmarkCompact100000 rewrites the file (writes wait only for the catch-up and the swap).
func BenchmarkCompact100000(b *testing.B) {
	s, _ := seed(b, 100000, true)
	b.ResetTimer()
	for range b.N {
		if _, err := s.Compact(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompactWriteWait100000 renames a key every 20 ms while the file
// is compacted, as SSH commands and the last-used flush write during
// serve's compaction, and reports the longest wait of one (and the writes
// made per compaction).
func BenchmarkCompactWriteWait100000(b *testing.B) {
	s, _ := seed(b, 100000, true)
	if err := s.Preload(); err != nil {
		b.Fatal(err)
	}
	keys, err := s.List()
	if err != nil {
		b.Fatal(err)
	}
	id := keys[len(keys)/2].ID
	var longest time.Duration
	writes := 0
	b.ResetTimer()
	for range b.N {
		done := make(chan error, 1)
		go func() {
			_, err := s.Compact()
			done <- err
		}()
		tick := time.NewTicker(20 * time.Millisecond)
		for running := true; running; {
			start := time.Now()
			if _, err := s.Rename("bench", id, fmt.Sprint("name ", writes)); err != nil {
				b.Fatal(err)
			}
			longest, writes = max(longest, time.Since(start)), writes+1
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				running = false
			case <-tick.C:
			}
		}
		tick.Stop()
	}
	b.ReportMetric(float64(longest.Microseconds())/1000, "max-write-ms")
	b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
}
