package ui

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
)

// stampLayout shows a moment with seconds and zone, as the details panel
// promises ("The key expires on 2026-03-15 09:26:53 UTC").
const stampLayout = "2006-01-02 15:04:05 MST"

// stamp formats t in the zone of now (the session's clock).
func stamp(t, now time.Time) string { return t.In(now.Location()).Format(stampLayout) }

// ago says how long before now t was: "never", "just now", "42 s ago",
// "3 min ago", "5 h ago", "2 days ago", or the date beyond a month.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now" // clocks of two processes may disagree slightly
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d s ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "1 day ago"
	case d < 31*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
	return t.In(now.Location()).Format("2006-01-02")
}

// lastUse is "never" or the time and how long ago.
func lastUse(k model.Key, now time.Time) string {
	if k.LastUsedAt.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (%s)", stamp(k.LastUsedAt, now), ago(k.LastUsedAt, now))
}

// until counts down to t: "in 23h 59m 10s", "in 47h 0m 0s", then days
// ("in 6d 23h 59m 10s"), "in 42s", or "now" once it has passed.
func until(t, now time.Time) string {
	d := t.Sub(now).Truncate(time.Second)
	if d <= 0 {
		return "now"
	}
	var days time.Duration
	if d >= 48*time.Hour {
		days = d / (24 * time.Hour)
		d -= days * 24 * time.Hour
	}
	h, mn, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days > 0:
		return fmt.Sprintf("in %dd %dh %dm %ds", days, h, mn, s)
	case h > 0:
		return fmt.Sprintf("in %dh %dm %ds", h, mn, s)
	case mn > 0:
		return fmt.Sprintf("in %dm %ds", mn, s)
	}
	return fmt.Sprintf("in %ds", s)
}

// seconds renders a short remaining time for "hides in 28 s".
func seconds(t, now time.Time) int {
	d := t.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

// soon says briefly how long until t, for the Expires column: "in 23h",
// "in 59 min", "in 6 days", "—" for no expiry.
func soon(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("in %d s", int(d/time.Second)+1)
	case d < time.Hour:
		return fmt.Sprintf("in %d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("in %dh", int(d/time.Hour))
	}
	return fmt.Sprintf("in %d days", int(d/(24*time.Hour)))
}
