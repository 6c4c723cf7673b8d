package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// lockInfoSuffix names the file beside the database where its holder says
// who it is: <db>.lock-info.
const lockInfoSuffix = ".lock-info"

// Holder kinds: what a process that keeps a database open for long is.
const (
	HolderDashboard = "dashboard"
	HolderServe     = "serve"
)

// Holder describes the process that holds the database open, for the
// "in use" error of the next process that tries.
type Holder struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Kind    string    `json:"kind"`               // HolderDashboard or HolderServe
	SSHPort int       `json:"ssh_port,omitempty"` // serve: where its SSH side listens
	SSHIP   string    `json:"ssh_ip,omitempty"`   // serve: the address it listens on, if one in particular
}

// Announce writes h (with this process's pid and, when unset, the start
// time) to <db>.lock-info; Close removes it. Call it again to update it
// (serve, once its SSH port is known).
func (s *Store) Announce(h Holder) error {
	if s.file == nil {
		return nil // etcd is shared by design: there is no lock to explain
	}
	h.PID = os.Getpid()
	if h.Started.IsZero() {
		h.Started = s.clock.Now()
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	path := s.path + lockInfoSuffix
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	s.lockInfo = path
	return nil
}

// withdrawLockInfo removes the lock-info this process wrote.
func (s *Store) withdrawLockInfo() {
	if s.lockInfo != "" {
		os.Remove(s.lockInfo)
		s.lockInfo = ""
	}
}

// describeHolder says who holds the database, from its lock-info when that
// names a live process. Only numbers and fixed words are repeated: the
// message reaches a terminal, and the file is not ours to trust.
func describeHolder(path string, now time.Time) string {
	h, ok := readHolder(path)
	if !ok {
		return "another keyrack process"
	}
	switch {
	case h.Kind == HolderDashboard:
		return fmt.Sprintf("the keyrack dashboard (pid %d, started %s)", h.PID, startedAt(h.Started, now))
	case h.Kind == HolderServe && h.SSHPort > 0:
		return fmt.Sprintf("keyrack serve (pid %d; use ssh -p %d %s)", h.PID, h.SSHPort, sshHost(h.SSHIP))
	case h.Kind == HolderServe:
		return fmt.Sprintf("keyrack serve (pid %d, started %s)", h.PID, startedAt(h.Started, now))
	}
	return "another keyrack process"
}

// sshHost is where a local user reaches serve's SSH side: localhost,
// unless serve listens on one other address. Only a parsed IP is repeated.
func sshHost(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil || addr.IsUnspecified() || addr.IsLoopback() {
		return "localhost"
	}
	return addr.String()
}

// readHolder reads a lock-info file and keeps it only if its process lives.
func readHolder(path string) (Holder, bool) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 4096 {
		return Holder{}, false
	}
	var h Holder
	if json.Unmarshal(b, &h) != nil || h.PID <= 0 || h.SSHPort < 0 || h.SSHPort > 65535 {
		return Holder{}, false
	}
	return h, alive(h.PID)
}

// alive reports whether a process with this pid exists (signal 0 checks
// without sending anything; EPERM means it exists but is not ours).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// startedAt is a start time as the error shows it: the time of day when
// it is today, else the date too.
func startedAt(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}
