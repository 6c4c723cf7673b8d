//go:build !linux

package bolt

// Release is a no-op where the file's mapping cannot be advised.
func (b *Backend) Release() error { return nil }
