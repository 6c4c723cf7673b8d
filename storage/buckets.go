package storage

import "github.com/keyrack/keyrack/storage/kv"

// Buckets names every bucket a keyrack database holds, for a copy from
// one backend to another (keyrack migrate).
func Buckets() []string {
	names := make([]string, len(allBuckets))
	for i, b := range allBuckets {
		names[i] = string(b)
	}
	return names
}

// Backend is the key-value backend the store works on, for a copy of
// every bucket to another (keyrack migrate).
func (s *Store) Backend() kv.Backend { return s.kv }
