package testkit

import (
	"crypto/tls"
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
	TLS   bool   // it came over TLS (STARTTLS or implicit)
	User  string // the AUTH PLAIN login it came under, if any
}

// SMTPOptions say what an SMTPSink demands beyond plain SMTP; the zero
// value is a plain relay without authentication.
type SMTPOptions struct {
	// User and Password, when User is set, are the only AUTH PLAIN login
	// accepted, and a login is required before MAIL.
	User, Password string
	// TLS, when set, is offered with STARTTLS, or from the first byte
	// with ImplicitTLS.
	TLS         *tls.Config
	ImplicitTLS bool
	// BeforeData, when set, runs as a message's DATA begins with the
	// number of messages accepted so far; an error it returns refuses
	// the message.
	BeforeData func(accepted int) error
}

// SMTPSink is a real SMTP server on loopback that keeps every message it
// accepts, for tests of mail delivery: plain or with TLS and a login,
// stopped and restarted on the same address to play an outage.
type SMTPSink struct {
	Addr string // 127.0.0.1:PORT, set once: Restart listens on it again
	t    testing.TB
	opts SMTPOptions

	mu   sync.Mutex
	mail []Mail
	srv  *smtp.Server // nil while stopped
	ln   net.Listener
	done chan struct{} // closed when Serve has returned
}

// StartSMTPSink starts a sink that runs until the test ends.
func StartSMTPSink(t testing.TB, opts SMTPOptions) *SMTPSink {
	t.Helper()
	s := &SMTPSink{t: t, opts: opts}
	s.Addr = s.listen("127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

// listenAttempts bounds how long Restart waits for the stopped server's
// socket to be free again (20 ms apart).
const listenAttempts = 50

// listen serves on addr (retrying while the port is still taken) and
// returns the address it got.
func (s *SMTPSink) listen(addr string) string {
	s.t.Helper()
	ln, err := net.Listen("tcp", addr)
	for i := 1; err != nil && i < listenAttempts; i++ {
		time.Sleep(20 * time.Millisecond) // polling a port: nothing to wait on
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s, conn: c}, nil }))
	srv.Domain, srv.TLSConfig, srv.ReadTimeout, srv.WriteTimeout = "sink.test", s.opts.TLS, 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // a client killed mid-session is what some tests do
	if s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.opts.TLS)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.ln, s.done = srv, ln, done
	s.mu.Unlock()
	go func() { srv.Serve(ln); close(done) }()
	return ln.Addr().String()
}

// Stop closes the server: connections are refused until Restart.
func (s *SMTPSink) Stop() {
	s.mu.Lock()
	srv, ln, done := s.srv, s.ln, s.done
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		ln.Close() // Serve may not have registered it with srv yet
		srv.Close()
		<-done
	}
}

// Restart listens again on the address it had, keeping what it accepted.
func (s *SMTPSink) Restart() { s.listen(s.Addr) }

// Mails returns the messages accepted so far.
func (s *SMTPSink) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

func (s *SMTPSink) accept(m Mail) {
	s.mu.Lock()
	s.mail = append(s.mail, m)
	s.mu.Unlock()
}
