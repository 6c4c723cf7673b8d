package main

import (
	"net"
	"os"
	"time"

	"github.com/keyrack/keyrack/storage"
)

// reminders is serve's reminder configuration: the thresholds, and the
// command that reaches this server, named in each reminder.
func reminders(before []time.Duration, sshAddr string) storage.Reminders {
	return storage.Reminders{Before: before, Command: sshCommand(sshAddr)}
}

// sshCommand is "ssh -p PORT HOST" for serve's SSH address; an address
// without a host (":23234", "0.0.0.0:23234") is named by the machine's
// host name.
func sshCommand(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "keyrack"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		if host, err = os.Hostname(); err != nil {
			return "keyrack"
		}
	}
	return "ssh -p " + port + " " + host
}
