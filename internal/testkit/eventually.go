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
	if !Poll(within, cond) {
		t.Fatalf("%s: not within %s", what, within)
	}
}

// Poll polls cond every millisecond until it holds, and reports whether
// it held within the given time: for a caller that says more than
// Eventually does when it has not (the screen it waited on, say).
func Poll(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
