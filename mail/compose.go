package mail

import (
	"fmt"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/keyrack/keyrack/model"
)

// undisclosed is the visible To header: the admins travel only in the
// envelope (RCPT TO), as Bcc, so no admin sees the others' addresses.
const undisclosed = "undisclosed-recipients:;"

// MessageID returns the Message-ID of a notification (without angle
// brackets). It depends only on the notification's id and the sender's
// domain, so every retry of one entry carries the same id.
func MessageID(n model.Notification, from string) string {
	domain := "keyrack.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "keyrack." + n.ID + "@" + domain
}

// compose builds the message for one notification. Bodies are
// quoted-printable, so every byte on the wire is 7-bit and readable to a
// scanner looking for tokens.
func compose(cfg Config, n model.Notification) (*gomail.Msg, error) {
	if len(n.Recipients) == 0 {
		return nil, fmt.Errorf("mail %s has no recipients", n.ID)
	}
	r := Render(n)
	m := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8), gomail.WithNoDefaultUserAgent())
	if err := m.From(cfg.From); err != nil {
		return nil, fmt.Errorf("sender %q: %w", cfg.From, err)
	}
	if err := m.Bcc(n.Recipients...); err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	m.SetGenHeaderPreformatted(gomail.Header("To"), undisclosed)
	m.Subject(r.Subject)
	m.SetMessageIDWithValue(MessageID(n, cfg.From))
	m.SetDateWithValue(n.At)
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetGenHeader(gomail.Header("X-Keyrack-Event"), string(n.Kind))
	m.SetBodyString(gomail.TypeTextPlain, r.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return m, nil
}
