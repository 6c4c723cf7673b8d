package storage

// Buckets names every bucket a keyrack database holds, for a copy from
// one backend to another (keyrack migrate).
func Buckets() []string {
	names := make([]string, len(allBuckets))
	for i, b := range allBuckets {
		names[i] = string(b)
	}
	return names
}
