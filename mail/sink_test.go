package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test SMTP server saw it.
type received struct {
	From  string
	Rcpts []string
	Data  []byte
	TLS   bool
	User  string
}

// sink is a real SMTP server on loopback that keeps what it receives.
type sink struct {
	t        testing.TB
	user     string // when set, AUTH PLAIN with user/pass is required
	pass     string
	tls      *tls.Config // when set, STARTTLS is offered
	implicit bool        // TLS from the first byte
	// beforeData, when set, runs as a message's DATA begins with the number
	// of messages stored so far; an error it returns refuses the message.
	beforeData func(stored int) error

	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	ln   net.Listener
	addr string
	done chan struct{}
}

func startSink(t testing.TB, s *sink) *sink {
	t.Helper()
	s.t = t
	s.listen("127.0.0.1:0")
	t.Cleanup(s.stop)
	return s
}

func (s *sink) listen(addr string) {
	s.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old socket may linger a moment after stop
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{sink: s, conn: c}, nil
	}))
	srv.Domain, srv.TLSConfig, srv.ReadTimeout, srv.WriteTimeout = "sink.test", s.tls, 5*time.Second, 5*time.Second
	if s.implicit {
		ln = tls.NewListener(ln, s.tls)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.ln, s.addr, s.done = srv, ln, ln.Addr().String(), done
	s.mu.Unlock()
	go func() { srv.Serve(ln); close(done) }()
}

// stop closes the server; restart listens again on the same address.
func (s *sink) stop() {
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

func (s *sink) restart() { s.listen(s.addr) }

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// session is one SMTP connection to the sink.
type session struct {
	sink  *sink
	conn  *smtp.Conn
	user  string
	from  string
	rcpts []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if s.sink.user == "" || user != s.sink.user || pass != s.sink.pass {
			return errors.New("invalid credentials")
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.sink.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if hook := s.sink.beforeData; hook != nil {
		if err := hook(len(s.sink.messages())); err != nil {
			return err
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, received{From: s.from, Rcpts: s.rcpts, Data: data, TLS: isTLS, User: s.user})
	s.sink.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.rcpts = "", nil }
func (s *session) Logout() error { return nil }

// selfSigned returns a server certificate for 127.0.0.1 and a client
// configuration that trusts it (and nothing else).
func selfSigned(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sink.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}
