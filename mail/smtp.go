package mail

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// send delivers msgs over one connection and returns one error per
// message (nil when the server accepted it), in words an admin can act on. ctx ending closes the
// connection, so a shutdown or a command's deadline never waits for a
// slow server.
func send(ctx context.Context, cfg Config, msgs []*gomail.Msg) []error {
	errs := make([]error, len(msgs))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	var conns connSet
	stop := context.AfterFunc(ctx, conns.closeAll)
	defer stop()
	c, err := client(ctx, cfg, &conns)
	if err != nil {
		return fail(explain(cfg, err))
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fail(explain(cfg, err))
	}
	defer c.CloseWithSMTPClient(sc)
	for i, m := range msgs {
		errs[i] = explain(cfg, c.SendWithSMTPClient(sc, m))
	}
	return errs
}

// client configures go-mail for cfg: TLS mode, AUTH PLAIN or LOGIN when
// a user is set, and a timeout no longer than what ctx leaves.
func client(ctx context.Context, cfg Config, conns *connSet) (*gomail.Client, error) {
	host, portText, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, err
	}
	port, _ := strconv.Atoi(portText)
	timeout := cfg.Timeout
	if dl, ok := ctx.Deadline(); ok {
		// Give up a little before the caller does, so the failure is
		// recorded on the entry rather than lost to the cancellation.
		timeout = max(min(timeout, time.Until(dl)*9/10), time.Millisecond)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tc = cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	opts := []gomail.Option{
		gomail.WithPort(port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(tc),
		gomail.WithDialContextFunc(conns.dialer(cfg.TLS == TLSImplicit, tc)),
	}
	switch cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.User != "" {
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	return gomail.NewClient(host, opts...)
}

// connSet remembers the connections it dialled so they can be closed when
// the caller gives up.
type connSet struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (s *connSet) dialer(implicitTLS bool, tc *tls.Config) gomail.DialContextFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if implicitTLS {
			tconn := tls.Client(conn, tc)
			if err := tconn.HandshakeContext(ctx); err != nil {
				conn.Close()
				return nil, err
			}
			conn = tconn // go-mail sees a *tls.Conn and knows AUTH is protected
		}
		s.mu.Lock()
		s.conns = append(s.conns, conn)
		s.mu.Unlock()
		return conn, nil
	}
}

func (s *connSet) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}
