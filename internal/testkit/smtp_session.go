package testkit

import (
	"errors"
	"io"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// sinkSession is one SMTP connection to an SMTPSink.
type sinkSession struct {
	sink  *SMTPSink
	conn  *smtp.Conn
	user  string // logged in as
	from  string
	rcpts []string
}

func (s *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

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

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.sink.opts.User != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

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

func (s *sinkSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *sinkSession) Logout() error { return nil }
