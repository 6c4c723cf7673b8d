package mail

import (
	"cmp"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The modes KEYRACK_SMTP_TLS accepts.
const (
	TLSStartTLS TLSMode = "starttls" // plain connect, then STARTTLS (required)
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (port 465)
	TLSNone     TLSMode = "none"     // no encryption; for a local relay only
)

// defaultTimeout bounds one connection: dial, handshake and every command.
const defaultTimeout = 30 * time.Second

// ErrNotConfigured is returned by DeliverNow when no SMTP server is set.
var ErrNotConfigured = errors.New("no SMTP server configured")

// Config is where and how mail leaves. The environment fills it (FromEnv);
// `serve` flags may override every field but Password.
type Config struct {
	Addr     string  // host:port; empty means no SMTP server configured
	User     string  // AUTH (PLAIN or LOGIN) when set
	Password string  // from KEYRACK_SMTP_PASSWORD only
	From     string  // sender; default keyrack@<hostname>
	TLS      TLSMode // default starttls

	// TLSConfig, when set, is used for STARTTLS and implicit TLS instead of
	// the system roots (a private CA, or a test's self-signed certificate).
	TLSConfig *tls.Config
	Timeout   time.Duration // default 30 s
}

// FromEnv reads KEYRACK_SMTP_ADDR, _USER, _PASSWORD, _FROM and _TLS through
// getenv (os.Getenv in production). It does not validate: see Check.
func FromEnv(getenv func(string) string) Config {
	return Config{
		Addr:     strings.TrimSpace(getenv("KEYRACK_SMTP_ADDR")),
		User:     getenv("KEYRACK_SMTP_USER"),
		Password: getenv("KEYRACK_SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("KEYRACK_SMTP_FROM")),
		TLS:      TLSMode(strings.ToLower(strings.TrimSpace(getenv("KEYRACK_SMTP_TLS")))),
	}
}

// Configured reports whether an SMTP server is set.
func (c Config) Configured() bool { return c.Addr != "" }

// Check fills the defaults and validates. A Config with no Addr and
// nothing else set is valid: mail then waits in the outbox.
func (c Config) Check() (Config, error) {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultTimeout
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return c, fmt.Errorf("KEYRACK_SMTP_TLS %q: want starttls, tls or none", c.TLS)
	}
	if !c.Configured() {
		if c.User != "" || c.Password != "" || c.From != "" {
			return c, errors.New("SMTP settings given but KEYRACK_SMTP_ADDR is empty: set it to host:port (e.g. smtp.example.com:587)")
		}
		return c, nil
	}
	if err := checkAddr(c.Addr); err != nil {
		return c, err
	}
	if c.User == "" && c.Password != "" {
		return c, errors.New("KEYRACK_SMTP_PASSWORD is set but KEYRACK_SMTP_USER is empty")
	}
	if c.User != "" && c.Password == "" {
		return c, errors.New("KEYRACK_SMTP_USER is set but KEYRACK_SMTP_PASSWORD is empty")
	}
	if c.From == "" {
		host, _ := os.Hostname()
		c.From = "keyrack@" + cmp.Or(host, "localhost")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return c, fmt.Errorf("KEYRACK_SMTP_FROM %q: not an email address: %v", c.From, err)
	}
	return c, nil
}

func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("KEYRACK_SMTP_ADDR %q: want host:port (e.g. smtp.example.com:587): %v", addr, err)
	}
	n, err := strconv.Atoi(port)
	if host == "" || err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("KEYRACK_SMTP_ADDR %q: want host:port with a port from 1 to 65535", addr)
	}
	return nil
}
