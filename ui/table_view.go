package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// columns holds the width of each table column; 0 means dropped.
type columns struct{ name, token, lastUsed, created int }

const (
	markerWidth = 2  // "> " before the cursor row
	gapWidth    = 2  // between columns
	tokenWidth  = 15 // kr_•••••••• + 4
	whenWidth   = 12 // "59 min ago", "2026-01-02"
	nameMin     = 16
	nameMax     = 40 // longer names are cut in the table; details show them whole
)

// columnsFor drops Created, then Last used, when the terminal is narrow.
func columnsFor(width int) columns {
	c := columns{token: tokenWidth, lastUsed: whenWidth, created: whenWidth}
	used := func() int {
		n := markerWidth + gapWidth + c.token
		if c.lastUsed > 0 {
			n += gapWidth + c.lastUsed
		}
		if c.created > 0 {
			n += gapWidth + c.created
		}
		return n
	}
	if used()+nameMin > width {
		c.created = 0
	}
	if used()+nameMin > width {
		c.lastUsed = 0
	}
	c.name = max(1, min(width-used(), nameMax))
	return c
}

func (c columns) row(marker, name, token, lastUsed, created string) string {
	var b strings.Builder
	b.WriteString(cell(marker, markerWidth))
	b.WriteString(cell(name, c.name))
	b.WriteString("  " + cell(token, c.token))
	if c.lastUsed > 0 {
		b.WriteString("  " + cell(lastUsed, c.lastUsed))
	}
	if c.created > 0 {
		b.WriteString("  " + cell(created, c.created))
	}
	return b.String()
}

// view renders the column header and the visible rows only: its cost does
// not depend on how many keys there are.
func (t *keyTable) view(st styles, width, visible int, now time.Time, rev revealState) []string {
	c := columnsFor(width)
	out := make([]string, 0, visible+1)
	out = append(out, st.columns.Render(c.row("", "NAME", "TOKEN", "LAST USED", "CREATED")))
	if len(t.rows) == 0 {
		msg := "no keys"
		switch {
		case !t.loaded:
			msg = "loading keys…"
		case t.filter != "":
			msg = fmt.Sprintf("no key matches %q · esc clears the filter", model.Printable(t.filter))
		}
		return append(out, st.dim.Render("  "+msg))
	}
	end := min(t.offset+visible, len(t.rows))
	for i := t.offset; i < end; i++ {
		k := t.keys[t.rows[i]]
		name := k.DisplayName()
		if isExpiring(k, now) {
			name = "⚠ " + name
		}
		marker := ""
		if i == t.cursor {
			marker = ">"
		}
		var line string
		if rev.shows(k.ID) {
			// The full token spans the columns after the name.
			nameW := min(c.name, max(8, width-markerWidth-gapWidth-len(rev.token.Reveal())))
			line = cell(marker, markerWidth) + cell(name, nameW) + "  " + rev.token.Reveal()
			line = cell(line, width)
		} else {
			line = c.row(marker, name, masked(k), ago(k.LastUsedAt, now), ago(k.CreatedAt, now))
		}
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
