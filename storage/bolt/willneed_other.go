//go:build !linux

package bolt

import bbolt "go.etcd.io/bbolt"

// willNeed is a no-op where the file's mapping cannot be advised.
func willNeed(*bbolt.Tx, []int64) {}
