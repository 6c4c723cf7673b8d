package mail

import (
	"strings"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestAuthPlainOverSTARTTLSWithTrustedSelfSignedCertificate(t *testing.T) {
	st, clk, _ := openStore(t)
	serverTLS, clientTLS := testkit.SelfSignedTLS(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{TLS: serverTLS, User: "mailer", Password: "s3cret"})
	w := newWorker(t, st, Config{Addr: sk.Addr, User: "mailer", Password: "s3cret", From: "keyrack@acme.test", TLSConfig: clientTLS}, clk)
	if w.cfg.TLS != TLSStartTLS {
		t.Fatalf("default TLS mode %q, want starttls", w.cfg.TLS)
	}
	if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	msgs := sk.Mails()
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].User != "mailer" {
		t.Fatalf("messages %+v: want one, over TLS, authenticated as mailer", msgs)
	}
}

func TestSMTPRefusalsAreKeptOnTheEntry(t *testing.T) {
	serverTLS, clientTLS := testkit.SelfSignedTLS(t)
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"wrong password", Config{User: "mailer", Password: "wrong", TLSConfig: clientTLS}, "refused the login"},
		{"untrusted certificate", Config{User: "mailer", Password: "s3cret"}, "certificate of 127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, clk, _ := openStore(t)
			sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{TLS: serverTLS, User: "mailer", Password: "s3cret"})
			tc.cfg.Addr = sk.Addr
			w := newWorker(t, st, tc.cfg, clk)
			if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
				t.Fatal(err)
			}
			if err := deliverNow(w); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("DeliverNow = %v, want an error about %s", err, tc.want)
			}
			left, _ := st.PendingMails()
			if len(left) != 1 || left[0].State != model.MailFailed || !strings.Contains(left[0].LastError, tc.want) {
				t.Fatalf("entry %+v: want failed with the %s error", left, tc.want)
			}
			if n := len(sk.Mails()); n != 0 {
				t.Fatalf("%d messages accepted", n)
			}
		})
	}
}

func TestImplicitTLS(t *testing.T) {
	st, clk, _ := openStore(t)
	serverTLS, clientTLS := testkit.SelfSignedTLS(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{TLS: serverTLS, ImplicitTLS: true})
	w := newWorker(t, st, Config{Addr: sk.Addr, TLS: TLSImplicit, TLSConfig: clientTLS}, clk)
	if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	if msgs := sk.Mails(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("messages %+v: want one over TLS", msgs)
	}
}
