package ui

import (
	"fmt"
	"sort"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

// revealAfter is how long a revealed token stays on screen.
const revealAfter = 30 * time.Second

// revealState is the one token shown in full, until it hides itself.
type revealState struct {
	gen   int
	id    string
	token model.Token
	until time.Time
}

// shows reports whether the token of key id is revealed.
func (r revealState) shows(id string) bool { return id != "" && r.id == id && !r.token.IsZero() }

// masked is the key's masked token. Its last four characters come from the
// stored record, which a hand-edited database may have filled with anything.
func masked(k model.Key) string { return model.Printable(k.Masked()) }

// detailLine is one line of the details panel; when the panel is short,
// lines with the highest rank number go first.
type detailLine struct {
	rank int
	text string
}

// detailsView describes key k in at most height lines, with its traffic
// as far as ku knows it.
func detailsView(st styles, k model.Key, ku keyUsage, now time.Time, rev revealState, width, height int) []string {
	label := func(s string) string { return st.label.Render(fmt.Sprintf("%-12s", s)) }
	status := string(k.Status(now))
	title := st.key.Render(k.DisplayName()) + st.dim.Render("  id "+model.Printable(k.ID)+" · ") + status
	if k.RotatedFrom != "" {
		title += st.dim.Render(" · rotated from " + model.Printable(k.RotatedFrom))
	}
	if k.ReplacedBy != "" {
		title += st.dim.Render(" · replaced by " + model.Printable(k.ReplacedBy))
	}

	expiry := st.ok.Render("Active: no expiry. Rotate it with r.")
	switch {
	case k.Disabled: // refused at /auth, and not rotatable, whatever its expiry
		expiry = st.warn.Render(disabledMark + "Disabled: refused at /auth until enabled again (D, or keys enable " + model.Printable(k.ID) + ").")
	case !k.ExpiresAt.IsZero():
		when := fmt.Sprintf("%s (%s)", stamp(k.ExpiresAt, now), until(k.ExpiresAt, now))
		text := "⚠ The key expires on " + when
		if ansi.StringWidth(text) > width { // keep the countdown on narrow screens
			text = "Expires on " + when
		}
		expiry = st.warn.Render(text)
	}
	token := label("Token") + masked(k) + st.dim.Render("  v reveals · c copies")
	if rev.shows(k.ID) {
		token = label("Token") + st.token.Render(rev.token.Reveal())
		if hides := fmt.Sprintf("  hides in %d s", seconds(rev.until, now)); ansi.StringWidth(token+hides) <= width {
			token += st.dim.Render(hides) // else the status line says it
		}
	}
	created := fmt.Sprintf("%s (%s) by %s", stamp(k.CreatedAt, now), ago(k.CreatedAt, now), model.Printable(k.CreatedBy))

	all := []detailLine{
		{0, title},
		{1, expiry},
		{4, token},
		{3, label("Permissions") + permissionsText(k.Permissions)},
		{6, label("Created") + created},
		{2, label("Last used") + lastUse(k, now)},
		{5, label("Usage 24 h") + usageLine(ku, k.ID, width-12)},
	}
	if k.IdleRetire > 0 && !k.ExpiresAt.IsZero() {
		all = append(all[:2], append([]detailLine{{2, label("If quiet") + quietLine(k, ku, now)}}, all[2:]...)...)
	}
	return keepBest(all, height)
}

// keepBest keeps the height best-ranked lines in their original order.
func keepBest(all []detailLine, height int) []string {
	if height < len(all) {
		ranked := append([]detailLine(nil), all...)
		sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].rank < ranked[j].rank })
		cut := ranked[max(height, 0)].rank
		kept := all[:0:0]
		for _, l := range all {
			if l.rank < cut {
				kept = append(kept, l)
			}
		}
		all = kept
	}
	out := make([]string, len(all))
	for i, l := range all {
		out[i] = l.text
	}
	return out
}

// detailsHeight is the number of lines the panel wants.
const detailsHeight = 7
