package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// sparkLevels draw a cell's share of the busiest cell; a quiet cell is the
// lowest, so that any traffic at all shows.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// sparkline draws counts, one cell each, scaled to the largest.
func sparkline(counts []uint64) string {
	var top uint64
	for _, c := range counts {
		top = max(top, c)
	}
	var b strings.Builder
	if top == 0 {
		return strings.Repeat(string(sparkLevels[0]), len(counts))
	}
	for _, c := range counts {
		steps := uint64(len(sparkLevels) - 1)
		b.WriteRune(sparkLevels[(c*steps+top-1)/top]) // rounded up: 1 of 1,000 still shows
	}
	return b.String()
}

// hourlyCounts sums u's requests, allowed and refused, into cells of per
// hours over the sparkline's window ending in hour, oldest first.
func hourlyCounts(u model.Usage, hour time.Time, per int) []uint64 {
	hours := int(sparkWindow / time.Hour)
	first := hour.Add(time.Hour - sparkWindow)
	cells := make([]uint64, hours/per)
	for _, h := range u.Hours {
		i := int(h.Hour.Sub(first) / time.Hour)
		if i >= 0 && i < hours {
			cells[i/per] += uint64(h.Allowed) + uint64(h.Refused)
		}
	}
	return cells
}

// usageLine is the details panel's last 24 h: "▁▁▃▇█▅▂▁  1,204 requests ·
// 12 refused", one cell per hour, or per two or three when the width is
// short, within width columns.
func usageLine(ku keyUsage, id string, width int) string {
	switch {
	case ku.id != id || ku.hour.IsZero():
		return "…"
	case ku.err != nil:
		return "✗ " + model.Printable(ku.err.Error())
	}
	var total, refused int
	for _, h := range ku.usage.Hours {
		total += int(h.Allowed) + int(h.Refused)
		refused += int(h.Refused)
	}
	if total == 0 {
		return "no requests"
	}
	words := fmt.Sprintf("%s · %s refused", model.Count(total, "request", ""), model.Thousands(refused))
	for _, per := range []int{1, 2, 3} {
		spark := sparkline(hourlyCounts(ku.usage, ku.hour, per))
		if per == 3 || len([]rune(spark))+2+len([]rune(words)) <= width {
			return spark + "  " + words
		}
	}
	return words
}
