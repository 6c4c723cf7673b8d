//go:build !linux

package bolt

import bbolt "go.etcd.io/bbolt"

// Release is a no-op where the file's mapping cannot be advised.
func (b *Backend) Release() error { return nil }

// dontNeed is a no-op where the file's mapping cannot be advised.
func dontNeed(*bbolt.DB, int64) error { return nil }

// ReleaseResidentOver does nothing where the file's mapping cannot be
// advised.
func (w *writeTx) ReleaseResidentOver(int64) error { return nil }
