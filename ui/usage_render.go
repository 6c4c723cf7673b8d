package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// Column widths of the usage tables.
const (
	countWidth = 9 // "4,294,967" and more: right-aligned
	modeWidth  = 5
)

// lines lays out the totals, the resource table and the hours.
func (v *usageView) lines() []string {
	st, u := v.env.st, v.data
	out := listNote(st, v.err, v.loaded(), int(u.Allowed+u.Refused), "loading usage…", "no requests in the last 7 days")
	if len(out) > 0 {
		return out
	}
	out = append(out, fmt.Sprintf("Last 7 days: %s · %s allowed · %s refused",
		model.Count(int(u.Allowed+u.Refused), "request", ""), model.Thousands(int(u.Allowed)), model.Thousands(int(u.Refused))), "")
	out = append(out, st.columns.Render(fmt.Sprintf("%-*s  %-*s  %*s  %*s", resourceWidth, "RESOURCE", modeWidth, "MODE",
		countWidth, "ALLOWED", countWidth, "REFUSED")))
	for _, r := range modeRows(u) {
		line := fmt.Sprintf("%-*s  %-*s  %*s  %*s", resourceWidth, r.res, modeWidth, r.mode,
			countWidth, model.Thousands(int(r.c.Allowed)), countWidth, model.Thousands(int(r.c.Refused)))
		out = append(out, clip(line, v.width))
	}
	if n := int(u.Allowed+u.Refused) - modeTotal(u); n > 0 {
		out = append(out, st.dim.Render(clip(fmt.Sprintf("and %s on paths that name no resource", model.Count(n, "request", "")), v.width)))
	}
	out = append(out, "", st.columns.Render(fmt.Sprintf("%-*s  %*s  %*s", len(stampLayout)+2, "HOUR", countWidth, "ALLOWED", countWidth, "REFUSED")))
	var top uint32
	for _, h := range u.Hours {
		top = max(top, h.Allowed+h.Refused)
	}
	for i := len(u.Hours) - 1; i >= 0; i-- {
		h := u.Hours[i]
		line := fmt.Sprintf("%-*s  %*s  %*s  ", len(stampLayout)+2, stamp(h.Hour, v.now), countWidth, model.Thousands(int(h.Allowed)),
			countWidth, model.Thousands(int(h.Refused)))
		bar := uint64(min(max(0, v.width-len([]rune(line))), 30))
		n := uint64(h.Allowed + h.Refused)
		out = append(out, line+st.key.Render(strings.Repeat("█", int((n*bar+uint64(top)-1)/uint64(max(top, 1)))))) // rounded up: any traffic shows
	}
	return out
}

// modeRow is one resource and mode with its counts.
type modeRow struct {
	res  model.Resource
	mode model.Access
	c    model.ModeCount
}

// modeRows lists the resources and modes that saw requests, busiest first.
func modeRows(u model.Usage) []modeRow {
	var rows []modeRow
	for r := range u.Modes {
		for m, c := range u.Modes[r] {
			if c != (model.ModeCount{}) {
				rows = append(rows, modeRow{model.Resource(r), model.ModeAt(m), c})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b modeRow) int {
		return cmp.Compare(b.c.Allowed+b.c.Refused, a.c.Allowed+a.c.Refused)
	})
	return rows
}

// modeTotal is how many requests named a resource.
func modeTotal(u model.Usage) int {
	n := 0
	for _, r := range modeRows(u) {
		n += int(r.c.Allowed + r.c.Refused)
	}
	return n
}
