package testkit

import (
	"testing"
	"time"
)

// Eventually polls cond every millisecond until it holds, and fails the
// test naming what when it has not held within the given time. The time
// bounds a hang; it is never what the test asserts.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(time.Millisecond)
	}
}
