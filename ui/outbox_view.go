package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
)

const (
	mailRowLines = 2 // what happened, then to whom and how delivery went
	stateWidth   = 9 // "… pending", in columns
	mailIndent   = "    "
	agoWidth     = len("59 min ago")
)

// render draws the title, the mails on screen (and only those) and a rule
// with the scroll position.
func (v *outboxView) render(width, height int, now time.Time) string {
	st := v.env.st
	summary := fmt.Sprintf("newest first · %d waiting", v.unsent)
	if v.unsent > 0 {
		summary += " · R retries now"
	}
	out := []string{spread(st.title.Render("Mail outbox"), st.dim.Render(summary), width)}
	out = append(out, listNote(st, v.err, v.loaded(), len(v.data),
		"  loading mail…", "  no mail yet: admins (m) are emailed when a key is created, rotated, expired or deleted")...)
	from, to := v.list.window()
	for i := from; i < to; i++ {
		out = append(out, mailRow(st, v.data[i], i == v.list.cursor, width, now)...)
	}
	for len(out) < 1+v.list.height {
		out = append(out, "")
	}
	out = append(out, positionRule(st, v.list.position(), width))
	return strings.Join(out, "\n")
}

// mailRow is one mail in two lines: state, time, subject and key; then the
// recipients and how delivery goes.
func mailRow(st styles, n model.Notification, cursor bool, width int, now time.Time) []string {
	marker := ""
	if cursor {
		marker = ">"
	}
	state := cell(stateLabel(n.State), stateWidth)
	what := mail.Subject(n) // it names the key
	first := cell(marker, markerWidth) + state + "  " + cell(ago(n.At, now), agoWidth) + "  " + what
	second := mailIndent + "to " + recipients(n.Recipients) + " · " + delivery(n, now)
	first, second = cell(first, width), clip(second, width)
	switch {
	case cursor:
		first = st.cursorRow.Render(first)
	case n.State == model.MailFailed:
		first = st.err.Render(first)
	case n.State == model.MailPending:
		first = st.warn.Render(first)
	}
	return []string{first, st.dim.Render(second)}
}

// stateLabel pairs a mark with the word, so that the state reads without colours.
func stateLabel(s model.MailState) string {
	switch s {
	case model.MailSent:
		return "✓ sent"
	case model.MailFailed:
		return "✗ failed"
	}
	return "… " + model.Printable(string(s))
}

// recipients names the first recipient and counts the others.
func recipients(to []string) string {
	switch len(to) {
	case 0:
		return "nobody"
	case 1:
		return model.Printable(to[0])
	}
	return fmt.Sprintf("%s +%d", model.Printable(to[0]), len(to)-1)
}

// delivery says how delivery went: when it was sent; or when the next try
// comes, the attempts so far and the last error, which is long and so last.
func delivery(n model.Notification, now time.Time) string {
	if n.State == model.MailSent {
		return fmt.Sprintf("sent %s · %s", ago(n.SentAt, now), model.Count(n.Attempts, "attempt", "attempts"))
	}
	if n.State == model.MailPending && n.LastError != "" {
		return "waiting: " + model.Printable(n.LastError) // for a configuration, not for a time
	}
	parts := []string{"due now"}
	if n.NextAttemptAt.After(now) {
		parts[0] = "next try " + until(n.NextAttemptAt, now)
	}
	if n.Attempts > 0 {
		parts = append(parts, model.Count(n.Attempts, "attempt", "attempts"))
	}
	if n.LastError != "" {
		parts = append(parts, "✗ "+model.Printable(n.LastError))
	}
	return strings.Join(parts, " · ")
}
