package testkit

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// startAttempts is how often StartListening tries with fresh ports.
const startAttempts = 3

// StartListening starts the program that command builds for n fresh
// loopback ports and waits (10 s at most) until it accepts connections on
// the first one. When the program exits first — typically because another
// process took one of the ports in between — it tries again with fresh
// ports, three times in all. It returns the program and its ports; stop is
// the program's graceful stop signal (see Start).
func StartListening(t testing.TB, n int, stop os.Signal, command func(ports []int) *exec.Cmd) (*Process, []int) {
	t.Helper()
	var output string
	for range startAttempts {
		ports := FreePorts(t, n)
		p := Start(t, command(ports), stop)
		err := WaitListening(Addr(ports[0]), 10*time.Second, p.Exited())
		if err == nil {
			return p, ports
		}
		p.Kill()
		output = p.Output()
	}
	t.Fatalf("the program did not start listening in %d attempts; its last output:\n%s", startAttempts, output)
	return nil, nil
}
