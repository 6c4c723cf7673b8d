package testkit

import (
	"crypto/tls"
	"errors"
	"net/smtp"
	"strings"
	"sync"
	"testing"
)

const testMessage = "Subject: hello\r\n\r\nbody\r\n"

func TestSMTPSinkKeepsWhatItAccepts(t *testing.T) {
	sink := StartSMTPSink(t, SMTPOptions{})
	if err := smtp.SendMail(sink.Addr, nil, "keyrack@example.com", []string{"ada@example.com", "bob@example.com"}, []byte(testMessage)); err != nil {
		t.Fatal(err)
	}
	got := sink.Mails()
	if len(got) != 1 || got[0].From != "keyrack@example.com" || strings.Join(got[0].Rcpts, " ") != "ada@example.com bob@example.com" ||
		!strings.Contains(got[0].Data, "Subject: hello") || got[0].TLS || got[0].User != "" {
		t.Errorf("sink kept %+v", got)
	}
}

// send delivers testMessage over c: STARTTLS with tlsConfig when set,
// then a login when user is set.
func send(c *smtp.Client, tlsConfig *tls.Config, user, pass string) error {
	defer c.Close()
	if tlsConfig != nil {
		if err := c.StartTLS(tlsConfig); err != nil {
			return err
		}
	}
	if user != "" {
		if err := c.Auth(smtp.PlainAuth("", user, pass, "127.0.0.1")); err != nil {
			return err
		}
	}
	if err := c.Mail("keyrack@example.com"); err != nil {
		return err
	}
	if err := c.Rcpt("ada@example.com"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	_, err = w.Write([]byte(testMessage))
	return errors.Join(err, w.Close(), c.Quit())
}

func dial(t *testing.T, addr string) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSMTPSinkTakesMailOnlyOverSTARTTLSFromItsLogin(t *testing.T) {
	server, client := SelfSignedTLS(t)
	client.ServerName = "127.0.0.1"
	sink := StartSMTPSink(t, SMTPOptions{TLS: server, User: "mailer", Password: "s3cret"})
	for _, refused := range []struct{ name, user, pass string }{{"no login", "", ""}, {"wrong password", "mailer", "wrong"}} {
		if err := send(dial(t, sink.Addr), client, refused.user, refused.pass); err == nil {
			t.Errorf("%s: accepted", refused.name)
		}
	}
	if err := send(dial(t, sink.Addr), client, "mailer", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if got := sink.Mails(); len(got) != 1 || !got[0].TLS || got[0].User != "mailer" {
		t.Fatalf("sink kept %+v: want one mail, over TLS, from mailer", got)
	}
}

func TestSMTPSinkSpeaksTLSFromTheFirstByte(t *testing.T) {
	server, client := SelfSignedTLS(t)
	client.ServerName = "127.0.0.1"
	sink := StartSMTPSink(t, SMTPOptions{TLS: server, ImplicitTLS: true})
	conn, err := tls.Dial("tcp", sink.Addr, client)
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := send(c, nil, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := sink.Mails(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("sink kept %+v: want one mail over TLS", got)
	}
}

func TestSMTPSinkRestartsOnItsAddressKeepingWhatItHad(t *testing.T) {
	sink := StartSMTPSink(t, SMTPOptions{})
	if err := send(dial(t, sink.Addr), nil, "", ""); err != nil {
		t.Fatal(err)
	}
	addr := sink.Addr
	sink.Stop()
	if c, err := smtp.Dial(addr); err == nil {
		c.Close()
		t.Fatal("a stopped sink took a connection")
	}
	sink.Restart()
	if err := send(dial(t, addr), nil, "", ""); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.Mails()); n != 2 {
		t.Fatalf("after the restart: %d mails, want 2", n)
	}
}

func TestSMTPSinkRefusesWhatBeforeDataRefuses(t *testing.T) {
	var mu sync.Mutex // the hook runs on the server's goroutine
	var counts []int
	sink := StartSMTPSink(t, SMTPOptions{BeforeData: func(accepted int) error {
		mu.Lock()
		defer mu.Unlock()
		counts = append(counts, accepted)
		if accepted == 1 {
			return errors.New("try again later")
		}
		return nil
	}})
	if err := send(dial(t, sink.Addr), nil, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := send(dial(t, sink.Addr), nil, "", ""); err == nil || !strings.Contains(err.Error(), "try again later") {
		t.Fatalf("the second mail: %v, want the hook's refusal", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(sink.Mails()); n != 1 || len(counts) != 2 || counts[1] != 1 {
		t.Fatalf("%d mails kept, hook saw %v: want 1 kept, hook called with 0 then 1", n, counts)
	}
}
