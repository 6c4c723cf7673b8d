package clock

import "time"

// Earliest returns the earlier of two deadlines, where the zero time means
// none: the scheduler's next reminder, the mail worker's next attempt.
func Earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}
