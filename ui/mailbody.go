package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
)

// mailBody shows one mail as its admins read it: the delivery facts, then
// the plain-text part, scrollable. A notification holds no token, so
// neither can this.
type mailBody struct {
	env   *env
	mail  model.Notification
	pager pager
	width int
	now   time.Time // from the root's clock ticks: "next try in 4m 10s" counts down
}

func newMailBody(e *env, n model.Notification, now time.Time) *mailBody {
	return &mailBody{env: e, mail: n, pager: newPager(e.bindings), now: now}
}

// labelWidth aligns the delivery facts; long values wrap under themselves.
const labelWidth = 11

// lines is the mail fitted to width, every line sanitised.
func (b *mailBody) lines(width int, now time.Time) []string {
	st := b.env.st
	n := b.mail
	var out []string
	add := func(label, value string) {
		wrapped := strings.Split(ansi.Wrap(model.Printable(value), max(10, width-labelWidth), ""), "\n")
		for i, l := range wrapped {
			if i == 0 {
				out = append(out, st.label.Render(fmt.Sprintf("%-*s", labelWidth, label))+l)
			} else {
				out = append(out, strings.Repeat(" ", labelWidth)+l)
			}
		}
	}
	add("To (Bcc)", strings.Join(n.Recipients, ", "))
	add("State", string(n.State)+" · "+model.Count(n.Attempts, "attempt", "attempts"))
	if n.State == model.MailSent {
		add("Sent", stamp(n.SentAt, now)+" ("+ago(n.SentAt, now)+")")
	} else if n.State == model.MailPending && n.LastError != "" {
		add("Waiting", n.LastError) // for a configuration: no attempt was made
	} else if n.LastError != "" {
		add("Last error", n.LastError)
	}
	if n.State != model.MailSent && n.NextAttemptAt.After(now) {
		add("Next try", stamp(n.NextAttemptAt, now)+" ("+until(n.NextAttemptAt, now)+")")
	}
	out = append(out, st.rule.Render(strings.Repeat("─", max(0, width))))
	return append(out, reflow(mail.Render(n).Text, width)...)
}

// reflow fits a plain-text mail to width. Prose paragraphs, wrapped by the
// mail at 72 columns, are joined and wrapped again; aligned "Label:  value"
// blocks and the signature separator keep their lines.
func reflow(text string, width int) []string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, strings.Split(ansi.Wrap(strings.Join(para, " "), width, ""), "\n")...)
			para = nil
		}
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l = model.Printable(l)
		switch {
		case strings.TrimSpace(l) == "" || l == "-- " || strings.Contains(l, ":  "):
			flush()
			out = append(out, strings.Split(ansi.Wrap(l, width, ""), "\n")...)
		default:
			para = append(para, l)
		}
	}
	flush()
	return out
}

func (b *mailBody) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		b.width = msg.Width
		b.pager.resize(msg.Width, msg.Height-2)
		b.pager.setLines(b.lines(b.width, b.now))
	case tickMsg:
		b.now = msg.at
		b.pager.setLines(b.lines(b.width, b.now))
	case tea.KeyMsg:
		if key.Matches(msg, b.env.bindings.Back, b.env.bindings.Enter, b.env.bindings.Quit) {
			return nil, nil
		}
		b.pager.keypress(b.env.bindings, msg)
	}
	return b, nil
}

func (b *mailBody) view(width, height int, now time.Time) string {
	st := b.env.st
	title := spread(st.title.Render(mail.Subject(b.mail)), st.dim.Render(stamp(b.mail.At, now)), width)
	return title + "\n" + b.pager.view() + "\n" + st.dim.Render(b.pager.footer())
}

func (b *mailBody) help() []key.Binding { return b.env.bindings.pagerHelp() }
