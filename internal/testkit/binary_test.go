package testkit

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// outcomeTB records how a helper ended a test instead of ending this one.
type outcomeTB struct {
	testing.TB
	fatal, skip string
}

func (o *outcomeTB) Helper() {}
func (o *outcomeTB) Fatalf(format string, args ...any) {
	o.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (o *outcomeTB) Skipf(format string, args ...any) {
	o.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// binaryOutcome runs Binary on a fresh outcomeTB in its own goroutine, as
// the testing package runs a test.
func binaryOutcome(t *testing.T, name string) *outcomeTB {
	o := &outcomeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Binary(o, name, "some-package")
	}()
	<-done
	return o
}

func TestBinaryMissingFailsUnderCIAndIsSkippedElsewhere(t *testing.T) {
	const missing = "keyrack-no-such-program"
	t.Setenv("CI", "true")
	if o := binaryOutcome(t, missing); !strings.Contains(o.fatal, "apt-get install some-package") || o.skip != "" {
		t.Fatalf("under CI: fatal %q, skip %q; want a failure naming the package", o.fatal, o.skip)
	}
	t.Setenv("CI", "")
	if o := binaryOutcome(t, missing); !strings.Contains(o.skip, "apt-get install some-package") || o.fatal != "" {
		t.Fatalf("outside CI: fatal %q, skip %q; want a skip naming the package", o.fatal, o.skip)
	}
}

func TestBinaryFindsAProgramInPath(t *testing.T) {
	if got := Binary(t, "sh", "dash"); !strings.HasSuffix(got, "/sh") {
		t.Fatalf("Binary(sh) = %q", got)
	}
}
