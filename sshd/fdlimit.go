//go:build unix

package sshd

import "syscall"

// RaiseFileLimit raises the soft limit on open files (RLIMIT_NOFILE) to
// the hard limit, as `serve` does at start, and returns the soft limit
// now in force. (Go raises it too when package os loads; doing it here
// makes it explicit and reports the figure the SSH budget is cut from.)
func RaiseFileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		raised := syscall.Rlimit{Cur: rl.Max, Max: rl.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return rl.Cur, err
		}
		rl = raised
	}
	return rl.Cur, nil
}

// fileLimit returns the soft limit on open files, 1024 if unknown.
func fileLimit() uint64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 1024
	}
	return rl.Cur
}
