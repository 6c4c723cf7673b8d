package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/model"
)

// memberDetails is the most lines the panel under the list takes.
const memberDetails = 4

// memberLines splits the body: a title, the column header, the rows, a
// rule and the details of the selected member.
type memberLines struct{ rows, details int }

func memberLayout(height int) memberLines {
	details := min(memberDetails, max(1, height-3-3))
	return memberLines{rows: max(1, height-3-details), details: details}
}

// memberColumns are the column widths; 0 means dropped (keys, then added).
type memberColumns struct{ email, role, sshKeys, added int }

func memberColumnsFor(width int) memberColumns {
	c := memberColumns{role: len("manager"), added: whenWidth}
	rest := width - markerWidth - gapWidth - c.role - gapWidth - c.added
	if rest < nameMin {
		c.added, rest = 0, rest+gapWidth+whenWidth
	}
	c.email = max(nameMin, min(rest-gapWidth-16, 32)) // the email first: it names the member
	if c.sshKeys = rest - c.email - gapWidth; c.sshKeys < 10 {
		c.sshKeys, c.email = 0, rest
	}
	return c
}

func (c memberColumns) row(marker, email, role, sshKeys, added string) string {
	line := cell(marker, markerWidth) + cell(email, c.email) + "  " + cell(role, c.role)
	if c.sshKeys > 0 {
		line += "  " + cell(sshKeys, c.sshKeys)
	}
	if c.added > 0 {
		line += "  " + cell(added, c.added)
	}
	return line
}

// keysCell lists fingerprints while they fit, then "+N".
func keysCell(fps []string, width int) string {
	if len(fps) == 0 {
		return "none"
	}
	if all := strings.Join(fps, ", "); ansi.StringWidth(all) <= width || len(fps) == 1 {
		return all
	}
	more := fmt.Sprintf(" +%d", len(fps)-1)
	return clip(fps[0], max(1, width-len(more))) + more
}

// render draws the list, only the rows on screen, and the details panel.
func (v *membersView) render(width, height int, now time.Time) string {
	st := v.env.st
	lay := memberLayout(height)
	summary := fmt.Sprintf("%s · %s %s mail", model.Count(len(v.data), "member", "members"), model.Count(v.admins(), "admin", "admins"), verb(v.admins(), "gets", "get"))
	out := []string{spread(st.title.Render("Members"), st.dim.Render(summary), width)}
	c := memberColumnsFor(width)
	out = append(out, st.columns.Render(c.row("", "EMAIL", "ROLE", "SSH KEYS", "ADDED")))
	out = append(out, listNote(st, v.err, v.loaded(), len(v.data),
		"  loading members…", "  no members yet: a adds one (admins get mail about every key change)")...)
	from, to := v.list.window()
	for i := from; i < to; i++ {
		m := v.data[i]
		marker := ""
		if i == v.list.cursor {
			marker = ">"
		}
		line := c.row(marker, model.Printable(m.Email), model.Printable(string(m.Role)),
			keysCell(m.Fingerprints(), c.sshKeys), ago(m.AddedAt, now))
		if i == v.list.cursor {
			line = st.cursorRow.Render(line)
		}
		out = append(out, line)
	}
	for len(out) < 2+lay.rows {
		out = append(out, "")
	}
	out = append(out, positionRule(st, v.list.position(), width))
	if m, ok := v.selected(); ok {
		out = append(out, memberDetailsView(st, m, now, lay.details)...)
	}
	return strings.Join(out, "\n")
}

// roleNote says what a role means for mail and SSH.
func roleNote(r model.Role) string {
	if r == model.RoleAdmin {
		return "gets key mail; may log in over SSH"
	}
	return "no mail; no SSH login"
}

// memberDetailsView describes m in at most height lines.
func memberDetailsView(st styles, m model.Member, now time.Time, height int) []string {
	out := []string{
		st.key.Render(model.Printable(m.Email)) + st.dim.Render(" · "+model.Printable(string(m.Role))+" · added "+stamp(m.AddedAt, now)),
		st.dim.Render(roleNote(m.Role)),
	}
	fps := m.Fingerprints()
	if len(fps) == 0 {
		out = append(out, st.label.Render("SSH keys  ")+"none: k adds one")
	}
	for i, fp := range fps {
		if len(out) == height-1 && i < len(fps)-1 {
			out = append(out, st.label.Render("          ")+fmt.Sprintf("and %d more", len(fps)-i))
			break
		}
		label := "          "
		if i == 0 {
			label = "SSH keys  "
		}
		out = append(out, st.label.Render(label)+fp)
	}
	return out[:min(len(out), height)]
}
