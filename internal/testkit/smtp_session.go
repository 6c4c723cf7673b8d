package testkit

import (
	"errors"
	"io"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// sinkSession is one SMTP connection to an SMTPSink; its methods
// implement smtp.AuthSession.
type sinkSession struct {
	sink  *SMTPSink
	conn  *smtp.Conn
	user  string // logged in as
	from  string
	rcpts []string
}

// AuthMechanisms offers AUTH PLAIN.
func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth accepts only the login of the sink's SMTPOptions.
func (s *sinkSession) Auth(string) (sasl.Server, error) {
	want := s.sink.opts
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if want.User == "" || user != want.User || pass != want.Password {
			return errors.New("invalid credentials")
		}
		s.user = user
		return nil
	}), nil
}

// Mail starts a message, once logged in if the sink wants a login.
func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.sink.opts.User != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

// Rcpt adds a recipient.
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

// Data keeps the message, unless SMTPOptions.BeforeData refuses it.
func (s *sinkSession) Data(r io.Reader) error {
	if hook := s.sink.opts.BeforeData; hook != nil {
		if err := hook(len(s.sink.Mails())); err != nil {
			return err
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.sink.accept(Mail{From: s.from, Rcpts: s.rcpts, Data: string(data), TLS: isTLS, User: s.user})
	return nil
}

// Reset forgets the message begun: its sender and recipients.
func (s *sinkSession) Reset() { s.from, s.rcpts = "", nil }

// Logout ends the connection; there is nothing to release.
func (s *sinkSession) Logout() error { return nil }
