package clock

import (
	"context"
	"time"
)

// Wait sleeps until d has passed (no timer when d < 0), wake receives, or
// ctx ends. It reports false when the caller should stop: ctx ended or
// wake was closed. The scheduler and the mail worker sleep with it.
func Wait(ctx context.Context, c Clock, d time.Duration, wake <-chan struct{}) bool {
	var fire <-chan time.Time
	stop := func() {}
	if d >= 0 {
		fire, stop = c.After(d)
	}
	defer stop()
	select {
	case <-ctx.Done():
		return false
	case _, ok := <-wake:
		return ok
	case <-fire:
		return true
	}
}
