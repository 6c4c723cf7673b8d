package storage

import (
	"io"
	"testing"
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
