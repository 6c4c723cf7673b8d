package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// fakeMailer marks everything sent, or fails with err.
type fakeMailer struct {
	store *storage.Store
	err   error
	calls int
}

func (m *fakeMailer) DeliverNow(ctx context.Context) error {
	m.calls++
	if m.err != nil {
		return m.err
	}
	left, _ := m.store.PendingMails()
	for _, n := range left {
		if err := m.store.MarkSent(n.ID, m.store.Now()); err != nil {
			return err
		}
	}
	return nil
}

func (h *harness) runMail(mailer Mailer, args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	code := Run(Env{Store: h.store, Actor: "alice@example.com", Stdout: &out, Stderr: &errOut, Mailer: mailer}, args)
	return code, out.String(), errOut.String()
}

func TestMailListsTheOutboxAndSendDelivers(t *testing.T) {
	h := newHarness(t)
	if out := h.ok("mail"); !strings.Contains(out, "outbox is empty") {
		t.Errorf("empty outbox: %q", out)
	}
	h.ok("members", "add", "ada@example.com")
	h.ok("members", "add", "fin@example.com", "--role", "finance")
	k := h.createJSON("--name", "ci")
	h.ok("keys", "rotate", k.ID, "--in", "24h")

	var list []mailJSON
	if err := json.Unmarshal([]byte(h.ok("mail", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Kind != model.NotifyRotationScheduled || list[1].Kind != model.NotifyCreated ||
		list[0].Subject != mail.Subject(list[0].Notification) || list[1].Subject != mail.Subject(list[1].Notification) ||
		list[0].State != model.MailPending || strings.Join(list[0].Recipients, ",") != "ada@example.com" {
		t.Fatalf("mail --json %+v", list)
	}
	table := h.ok("mail")
	if !strings.Contains(table, "pending") || !strings.Contains(table, list[0].Subject) || !strings.Contains(table, "ci kr_••••••••") {
		t.Errorf("mail table:\n%s", table)
	}

	if code, _, errOut := h.runMail(nil, "mail", "send"); code != 1 || !strings.Contains(errOut, "stays in the outbox") {
		t.Errorf("mail send without a mailer: exit %d, %q", code, errOut)
	}
	down := &fakeMailer{store: h.store, err: errors.New("1 of 2 mails not delivered: connection refused")}
	if code, _, errOut := h.runMail(down, "mail", "send"); code != 1 || !strings.Contains(errOut, "connection refused") {
		t.Errorf("mail send with the server down: exit %d, %q", code, errOut)
	}
	up := &fakeMailer{store: h.store}
	if code, out, _ := h.runMail(up, "mail", "send"); code != 0 || out != "delivered 2 mails\n" {
		t.Errorf("mail send: exit %d, %q", code, out)
	}
	if code, out, _ := h.runMail(up, "mail", "send"); code != 0 || out != "no mail waiting\n" || up.calls != 1 {
		t.Errorf("second mail send: exit %d, %q, %d calls", code, out, up.calls)
	}
	if table := h.ok("mail"); !strings.Contains(table, "sent ") {
		t.Errorf("mail table after send:\n%s", table)
	}
}

func TestCommandsThatCauseMailTryToDeliverIt(t *testing.T) {
	h := newHarness(t)
	h.ok("members", "add", "ada@example.com")
	w, err := mail.New(h.store, mail.Config{}, h.clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := h.runMail(w, "keys", "create", "--name", "ci")
	if code != 0 || !strings.Contains(errOut, "no SMTP server configured") {
		t.Fatalf("keys create without SMTP: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := h.runMail(w, "mail", "send"); code != 1 || !strings.Contains(errOut, "no SMTP server configured (set KEYRACK_SMTP_ADDR): 1 mail waits in the outbox") {
		t.Fatalf("mail send without SMTP: exit %d, stderr %q", code, errOut)
	}
	if table := h.ok("mail"); !strings.Contains(table, "no SMTP server configured") {
		t.Errorf("the outbox does not show why mail waits:\n%s", table)
	}
}

func TestOverSSHOnlyMailSendWaitsForDelivery(t *testing.T) {
	h := newHarness(t)
	h.ok("members", "add", "ada@example.com")
	daemon := &fakeMailer{store: h.store}
	remote := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := Run(Env{Store: h.store, Actor: "ada@example.com", Stdout: &out, Stderr: &errOut, Mailer: daemon, Remote: true}, args)
		return code, out.String() + errOut.String()
	}
	if code, out := remote("keys", "create", "--name", "ci"); code != 0 || daemon.calls != 0 {
		t.Fatalf("keys create over SSH: exit %d, %q, %d deliveries; want the daemon's worker left to it", code, out, daemon.calls)
	}
	if code, out := remote("mail", "send"); code != 0 || out != "delivered 1 mail\n" || daemon.calls != 1 {
		t.Fatalf("mail send over SSH: exit %d, %q, %d deliveries", code, out, daemon.calls)
	}
}
