package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// cell fits s into exactly w columns: cut with "…" or padded with spaces.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", w-n)
}

// clip cuts s to at most w columns, keeping escape sequences intact.
func clip(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// fit makes the frame exactly h lines of at most w columns, whatever the
// views produced: the promise that no line is wider than the terminal.
func fit(lines []string, w, h int) string {
	out := make([]string, 0, h)
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			if len(out) == h {
				break
			}
			out = append(out, clip(part, w))
		}
	}
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// lines splits a rendered block into lines.
func lines(s string) []string { return strings.Split(s, "\n") }

// spread puts left and right on one line of width w, right-aligned, and
// drops right if both do not fit.
func spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+2 > w {
		return clip(left, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}
