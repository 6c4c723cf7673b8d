package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// columns holds the width of each table column; 0 means dropped.
type columns struct{ name, token, expires, lastUsed, created int }

const (
	markerWidth  = 2  // "> " before the cursor row
	gapWidth     = 2  // between columns
	tokenWidth   = 15 // kr_•••••••• + 4
	revealedMark = " ↓"
	expiresWidth = 10 // "in 23h", "in 59 min", "in 6 days"
	whenWidth    = 10 // "59 min ago", "2026-01-02"
	nameMin      = 20 // "⚠ Billing · a1b2c3": a marked name with its short id
	nameRoomy    = 28 // a marked name with its short id: the least a revealed token may leave
	shortIDLen   = 6  // enough to tell apart keys of one name, like a short commit
)

// columnsFor fits the columns in width with a token column of tokenW:
// Created goes first, then Expires, then Last used; the name takes what
// is left.
func columnsFor(width, tokenW int) columns {
	c := columns{token: tokenW, expires: expiresWidth, lastUsed: whenWidth, created: whenWidth}
	for _, drop := range []*int{&c.created, &c.expires, &c.lastUsed} {
		if c.used()+nameMin <= width {
			break
		}
		*drop = 0
	}
	c.name = max(1, width-c.used())
	return c
}

// used is the width of everything but the name.
func (c columns) used() int {
	n := markerWidth + gapWidth + c.token
	for _, w := range []int{c.expires, c.lastUsed, c.created} {
		if w > 0 {
			n += gapWidth + w
		}
	}
	return n
}

// tableColumns widens the token column for a revealed token on screen
// when no other column has to go for it; otherwise the row keeps the
// masked form with a marker and the details panel shows the token.
func tableColumns(width int, revealed string) (c columns, inRow bool) {
	masked := columnsFor(width, tokenWidth)
	if revealed == "" {
		return masked, false
	}
	wide := columnsFor(width, len(revealed))
	if wide.created == masked.created && wide.expires == masked.expires && wide.lastUsed == masked.lastUsed && wide.name >= nameRoomy {
		return wide, true
	}
	// The marker takes its room from the name, so that no column goes.
	mark := len([]rune(revealedMark))
	masked.token += mark
	masked.name = max(1, masked.name-mark)
	return masked, false
}

func (c columns) row(marker, name, token, expires, lastUsed, created string) string {
	var b strings.Builder
	b.WriteString(cell(marker, markerWidth))
	b.WriteString(cell(name, c.name))
	b.WriteString("  " + cell(token, c.token))
	for _, col := range []struct {
		w    int
		text string
	}{{c.expires, expires}, {c.lastUsed, lastUsed}, {c.created, created}} {
		if col.w > 0 {
			b.WriteString("  " + cell(col.text, col.w))
		}
	}
	return b.String()
}

// view renders the column header and the visible rows only: its cost does
// not depend on how many keys there are.
func (t *keyTable) view(st styles, width int, now time.Time, rev revealState) []string {
	from, to := t.offset, min(t.offset+t.height, t.len())
	shown := make([]model.Key, 0, to-from)
	revealed := ""
	for i := from; i < to; i++ {
		k, _ := t.at(i)
		shown = append(shown, k)
		if rev.shows(k.ID) {
			revealed = rev.token.Reveal()
		}
	}
	c, inRow := tableColumns(width, revealed)
	out := []string{st.columns.Render(c.row("", "NAME", "TOKEN", "EXPIRES", "LAST USED", "CREATED"))}
	if len(shown) == 0 {
		msg := "no keys"
		switch {
		case !t.loaded():
			msg = "loading keys…"
		case t.filter != "":
			msg = fmt.Sprintf("no key matches %q · esc clears the filter", model.Printable(t.filter))
		}
		return append(out, st.dim.Render("  "+msg))
	}
	names := make(map[string]int, len(shown))
	for _, k := range shown {
		names[k.Name]++
	}
	for j, k := range shown {
		i := from + j
		var prev model.Key
		if j > 0 {
			prev = shown[j-1]
		} else {
			prev, _ = t.at(i - 1)
		}
		marker := ""
		if i == t.cursor {
			marker = ">"
		}
		token := masked(k)
		switch {
		case rev.shows(k.ID) && inRow:
			token = revealed
		case rev.shows(k.ID):
			token += revealedMark
		}
		line := c.row(marker, rowName(k, prev, names[k.Name] > 1, now, c.name), token,
			soon(k.ExpiresAt, now), ago(k.LastUsedAt, now), ago(k.CreatedAt, now))
		switch {
		case i == t.cursor:
			line = st.cursorRow.Render(line)
		case i == t.hover:
			line = st.hoverRow.Render(line)
		case isExpiring(k, now):
			line = st.warn.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// rowName is the name cell, width wide: ⚠ for an expiring key, ↳ for a
// key that replaced the row above it, and a short id when names repeat on
// screen, so that "Default" and its replacement read apart. A long name
// is cut before the id is.
func rowName(k, above model.Key, repeated bool, now time.Time, width int) string {
	name := k.DisplayName()
	if isExpiring(k, now) {
		name = "⚠ " + name
	}
	if k.Disabled {
		name = disabledMark + name
	}
	if k.RotatedFrom != "" && above.ID == k.RotatedFrom {
		name = "↳ " + name
	}
	if !repeated {
		return name
	}
	id := " · " + model.Printable(k.ID[:min(shortIDLen, len(k.ID))])
	if width-len([]rune(id)) < 8 {
		return name
	}
	return clip(name, width-len([]rune(id))) + id
}
