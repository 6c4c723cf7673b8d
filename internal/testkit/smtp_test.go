package testkit

import (
	"net/smtp"
	"strings"
	"testing"
)

func TestSMTPSinkKeepsWhatItAccepts(t *testing.T) {
	sink := StartSMTPSink(t)
	msg := "Subject: hello\r\n\r\nbody\r\n"
	if err := smtp.SendMail(sink.Addr, nil, "keyrack@example.com", []string{"ada@example.com", "bob@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	got := sink.Mails()
	if len(got) != 1 || got[0].From != "keyrack@example.com" || strings.Join(got[0].Rcpts, " ") != "ada@example.com bob@example.com" || !strings.Contains(got[0].Data, "Subject: hello") {
		t.Errorf("sink kept %+v", got)
	}
}
