package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours, the unit of the "d" suffix.
const Day = 24 * time.Hour

// ParseSpan parses a flag's duration: Go syntax or a number of days
// ("90d", "1.5d"), from lo to hi. The error names the flag as what and
// never repeats input that is not printable.
func ParseSpan(what, s string, lo, hi time.Duration) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := parseSpan(s, hi)
	if err != nil || s == "" {
		return 0, fmt.Errorf("%s: invalid duration %q: use a duration such as 90m, 24h or 7d", what, Printable(s))
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("%s: %s is out of range: from %s to %s", what, Printable(s), FormatSpan(lo), FormatSpan(hi))
	}
	return d, nil
}

// parseSpan parses Go duration syntax or a number of days. Days are
// range-checked as floats, because converting NaN, ±Inf or a value beyond
// int64 to a Duration gives a platform-dependent result; a number of days
// beyond limit comes back as -1, out of every range.
func parseSpan(s string, limit time.Duration) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	n, err := strconv.ParseFloat(days, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("not a number of days")
	}
	ns := n * float64(Day)
	if ns < 0 || ns > float64(limit) {
		return -1, nil
	}
	return time.Duration(ns), nil
}

// FormatSpan writes a duration as the flags take it: 7d, 36h, 15m, 90s.
func FormatSpan(d time.Duration) string {
	switch {
	case d >= Day && d%Day == 0:
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}
