package model

import (
	"fmt"
	"strings"
	"time"
)

// RotationChoice is one entry of the rotation picker.
type RotationChoice struct {
	Flag  string        // the --in value: now, 1h, 24h, 48h, 7d
	Label string        // what the picker shows
	Delay time.Duration // how long the old key stays usable (the most, with UntilIdle)
	// UntilIdle, when set, retires the old key once /auth has not seen it
	// that long (keys rotate --until-idle); Delay bounds it.
	UntilIdle time.Duration
}

// RotationChoices are the delays Lago offers, in picker order.
var RotationChoices = []RotationChoice{
	{Flag: "now", Label: "Immediately", Delay: 0},
	{Flag: "1h", Label: "In 1 hour", Delay: time.Hour},
	{Flag: "24h", Label: "In 24 hours", Delay: 24 * time.Hour},
	{Flag: "48h", Label: "In 48 hours", Delay: 48 * time.Hour},
	{Flag: "7d", Label: "In 7 days", Delay: 7 * 24 * time.Hour},
}

// MaxRotationDelay is the longest grace period accepted on the command line.
const MaxRotationDelay = 30 * 24 * time.Hour

// ParseRotationDelay parses a --in value: now, a picker choice, or any
// duration from 1s to 30d (Go syntax, plus a "d" suffix for days).
func ParseRotationDelay(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for _, c := range RotationChoices {
		if s == c.Flag {
			return c.Delay, nil
		}
	}
	d, err := parseDelay(s)
	if err != nil || s == "" {
		return 0, fmt.Errorf("invalid rotation delay %q: use now, 1h, 24h, 48h, 7d or a duration such as 90m", Printable(s))
	}
	if d < time.Second || d > MaxRotationDelay {
		return 0, fmt.Errorf("rotation delay %s is out of range: from 1s to 30d", Printable(s))
	}
	return d, nil
}

// parseDelay parses a rotation delay: see parseSpan.
func parseDelay(s string) (time.Duration, error) { return parseSpan(s, MaxRotationDelay) }
