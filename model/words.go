package model

import (
	"strconv"
	"time"
)

// TimeLayout is how times are written for people, everywhere:
// 2026-12-03 16:06:02 UTC.
const TimeLayout = "2006-01-02 15:04:05 MST"

// FormatTime writes t in TimeLayout, in the local zone.
func FormatTime(t time.Time) string { return t.Local().Format(TimeLayout) }

// Thousands writes n with a comma between groups of three digits: 10,001.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Count writes n and the noun, singular for exactly 1: "1 key",
// "10,001 keys". plural is the noun's plural form ("" adds an s).
func Count(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	if plural == "" {
		plural = singular + "s"
	}
	return Thousands(n) + " " + plural
}
