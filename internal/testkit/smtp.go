package testkit

import (
	"io"
	"log"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message an SMTPSink accepted.
type Mail struct {
	From  string
	Rcpts []string
	Data  string // headers and body as sent
}

// SMTPSink is a real SMTP server on loopback (plain, no authentication)
// that keeps every message it accepts, for end-to-end tests of mail.
type SMTPSink struct {
	Addr string // 127.0.0.1:PORT
	mu   sync.Mutex
	mail []Mail
}

// StartSMTPSink starts a sink that runs until the test ends.
func StartSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPSink{Addr: ln.Addr().String()}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	srv.Domain, srv.ReadTimeout, srv.WriteTimeout = "sink.test", 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // a client killed mid-session is what some tests do
	done := make(chan struct{})
	go func() { srv.Serve(ln); close(done) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return s
}

// Mails returns the messages accepted so far.
func (s *SMTPSink) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// sinkSession is one SMTP connection to the sink.
type sinkSession struct {
	sink  *SMTPSink
	from  string
	rcpts []string
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	s.sink.mail = append(s.sink.mail, Mail{From: s.from, Rcpts: s.rcpts, Data: string(data)})
	s.sink.mu.Unlock()
	return nil
}

func (s *sinkSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *sinkSession) Logout() error { return nil }
