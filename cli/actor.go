package cli

import (
	"os"
	"os/user"
)

// LocalActor names the person at this terminal in the audit log:
// "local USER@HOST".
func LocalActor() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return "local " + name + "@" + host
}
