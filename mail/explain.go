package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// explain turns what go-mail and the network report into what an admin
// can act on: which setting to change, or what the server said. The
// library's own wording never reaches the outbox.
func explain(cfg Config, err error) error {
	if err == nil {
		return nil
	}
	addr := cfg.Addr
	var (
		dnsErr  *net.DNSError
		netErr  net.Error
		header  tls.RecordHeaderError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		proto   *textproto.Error
		sendErr *gomail.SendError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot find the SMTP host %q: check KEYRACK_SMTP_ADDR", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("nothing accepts connections at %s: check KEYRACK_SMTP_ADDR and that the mail server runs", addr)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("the SMTP server at %s did not answer in time", addr)
	case strings.Contains(msg, "does not support STARTTLS"):
		return fmt.Errorf("the server at %s does not offer STARTTLS; set KEYRACK_SMTP_TLS=none for a local relay, or tls if it expects TLS from the first byte", addr)
	case errors.As(err, &header):
		return fmt.Errorf("the server at %s does not speak TLS from the first byte; set KEYRACK_SMTP_TLS=starttls (or none for a local relay)", addr)
	case errors.As(err, &unknown):
		return fmt.Errorf("the TLS certificate of %s is signed by an authority this machine does not trust: add its CA to the system's trust store", addr)
	case errors.As(err, &host):
		return fmt.Errorf("the TLS certificate of %s is not valid for that host name: use the name the certificate gives in KEYRACK_SMTP_ADDR", addr)
	case errors.As(err, &invalid):
		return fmt.Errorf("the TLS certificate of %s is not valid (expired or not yet valid, or not for a server)", addr)
	case strings.Contains(msg, "does not support SMTP AUTH"):
		return fmt.Errorf("the server at %s offers no login keyrack can use (AUTH PLAIN or LOGIN); unset KEYRACK_SMTP_USER if it needs none", addr)
	case errors.As(err, &proto) && (proto.Code == 535 || proto.Code == 534 || proto.Code == 454):
		return fmt.Errorf("the server at %s refused the login (SMTP %d): check KEYRACK_SMTP_USER and KEYRACK_SMTP_PASSWORD", addr, proto.Code)
	case errors.As(err, &proto) && proto.Code == 530:
		return fmt.Errorf("the server at %s requires a login: set KEYRACK_SMTP_USER and KEYRACK_SMTP_PASSWORD", addr)
	case errors.As(err, &proto):
		return fmt.Errorf("the server at %s answered SMTP %d: %s", addr, proto.Code, proto.Msg)
	case errors.As(err, &sendErr):
		return explainRefusal(sendErr)
	}
	return fmt.Errorf("mail to %s failed: %s", addr, msg)
}

// explainRefusal names the step the server refused and its status code.
func explainRefusal(e *gomail.SendError) error {
	step := map[gomail.SendErrReason]string{
		gomail.ErrSMTPMailFrom:  "the sender (KEYRACK_SMTP_FROM)",
		gomail.ErrSMTPRcptTo:    "a recipient (an admin's email address)",
		gomail.ErrSMTPData:      "the message",
		gomail.ErrSMTPDataClose: "the message",
	}[e.Reason]
	if step == "" {
		step = "the delivery"
	}
	when := "for good"
	if e.IsTemp() {
		when = "for now; keyrack will try again"
	}
	code := ""
	if e.ErrorCode() != 0 {
		code = " (" + strings.TrimSpace(fmt.Sprintf("SMTP %d %s", e.ErrorCode(), e.EnhancedStatusCode())) + ")"
	}
	return fmt.Errorf("the server refused %s %s%s", step, when, code)
}
