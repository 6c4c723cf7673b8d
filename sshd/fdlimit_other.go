//go:build !unix

package sshd

// RaiseFileLimit does nothing where there is no RLIMIT_NOFILE.
func RaiseFileLimit() (uint64, error) { return fileLimit(), nil }

func fileLimit() uint64 { return 1 << 16 }
