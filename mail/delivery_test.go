package mail

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestEachEventMailsEveryAdminOnceAndNeverTheToken(t *testing.T) {
	st, clk, _ := openStore(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{})
	w := newWorker(t, st, Config{Addr: sk.Addr, TLS: TLSNone, From: "keyrack@acme.test"}, clk)

	def, _ := st.List()
	defTok, err := st.Reveal("tester", def[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tokens := []string{defTok.Reveal()}
	k1, tok1, err := st.Create("ada", "Billing <prod>", model.AllPermissions())
	if err != nil {
		t.Fatal(err)
	}
	tokens = append(tokens, tok1.Reveal())
	expectMail(t, w, sk, st, tokens, model.NotifyCreated, `[Acme & Co] API key "Billing <prod>" created`, k1.Masked())

	k2, tok2, err := st.Rotate("ada", k1.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	tokens = append(tokens, tok2.Reveal())
	expectMail(t, w, sk, st, tokens, model.NotifyRotated, `[Acme & Co] API key "Billing <prod>" rotated`, k1.Masked(), k2.Masked())

	k3, tok3, err := st.Rotate("bob", k2.ID, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokens = append(tokens, tok3.Reveal())
	expectMail(t, w, sk, st, tokens, model.NotifyRotationScheduled, `[Acme & Co] API key "Billing <prod>" rotated; the old key works until Fri, 27 Nov 2026 12:00:00 UTC`,
		k2.Masked(), k3.Masked(), "Fri, 27 Nov 2026 12:00:00 UTC")

	clk.Advance(24 * time.Hour)
	if n, err := st.ApplyDue(clk.Now()); err != nil || n != 1 {
		t.Fatalf("ApplyDue = %d, %v", n, err)
	}
	expectMail(t, w, sk, st, tokens, model.NotifyExpired, `[Acme & Co] API key "Billing <prod>" expired`, k2.Masked(), "scheduler")

	if err := st.Delete("bob", k3.ID); err != nil {
		t.Fatal(err)
	}
	expectMail(t, w, sk, st, tokens, model.NotifyDeleted, `[Acme & Co] API key "Billing <prod>" deleted`, k3.Masked(), "bob")

	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	if got := len(sk.Mails()); got != 5 {
		t.Fatalf("%d messages after a second delivery, want 5", got)
	}
}

// expectMail delivers and checks that exactly one new message arrived, for
// the admins only, with the subject and the details, and without a token.
func expectMail(t *testing.T, w *Worker, sk *testkit.SMTPSink, st interface {
	Outbox(int) ([]model.Notification, error)
}, tokens []string, kind model.NotificationKind, subject string, mustSay ...string) {
	t.Helper()
	before := len(sk.Mails())
	if err := deliverNow(w); err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	msgs := sk.Mails()
	if len(msgs) != before+1 {
		t.Fatalf("%s: %d new messages, want 1", kind, len(msgs)-before)
	}
	got := msgs[before]
	rcpts := slices.Sorted(slices.Values(got.Rcpts))
	if !slices.Equal(rcpts, admins) {
		t.Errorf("%s: RCPT TO %v, want exactly the admins %v", kind, rcpts, admins)
	}
	p := parse(t, got.Data)
	if p.Header.Get("Subject") != subject {
		t.Errorf("%s: subject %q, want %q", kind, p.Header.Get("Subject"), subject)
	}
	if to := p.Header.Get("To"); to != undisclosed {
		t.Errorf("%s: To %q, want %q", kind, to, undisclosed)
	}
	for name, values := range p.Header {
		for _, v := range values {
			for _, addr := range append(slices.Clone(admins), others...) {
				if strings.Contains(strings.ToLower(v), addr) {
					t.Errorf("%s: header %s shows %s", kind, name, addr)
				}
			}
		}
	}
	out, _ := st.Outbox(1)
	if len(out) != 1 || out[0].Kind != kind || out[0].State != model.MailSent {
		t.Fatalf("%s: newest outbox entry %+v", kind, out)
	}
	if id := p.Header.Get("Message-Id"); id != "<"+MessageID(out[0], "keyrack@acme.test")+">" {
		t.Errorf("%s: Message-ID %q not derived from entry %s", kind, id, out[0].ID)
	}
	text, html := p.Parts["text/plain"], p.Parts["text/html"]
	for _, s := range append([]string{"Acme & Co"}, mustSay...) {
		if !strings.Contains(text, s) {
			t.Errorf("%s: text part does not say %q:\n%s", kind, s, text)
		}
	}
	if !strings.Contains(html, "Billing &lt;prod&gt;") || !strings.Contains(html, "Acme &amp; Co") || strings.Contains(html, "<prod>") {
		t.Errorf("%s: HTML part does not escape the key name:\n%s", kind, html)
	}
	assertNoToken(t, got.Data, p, tokens)
}

func TestRunDeliversNewMailWhenStorageChanges(t *testing.T) {
	st, clk, _ := openStore(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{})
	w := newWorker(t, st, Config{Addr: sk.Addr, TLS: TLSNone}, clk)
	ctx, cancel := contextWithCancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for i := 1; i <= 3; i++ {
		if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
			t.Fatal(err)
		}
		testkit.Eventually(t, 5*time.Second, fmt.Sprintf("mail %d delivered, none pending", i), func() bool { left, _ := st.PendingMails(); return len(sk.Mails()) == i && len(left) == 0 })
	}
	if out, _ := st.Outbox(0); len(out) != 3 || out[0].State != model.MailSent {
		t.Fatalf("outbox %+v", out)
	}
}

func TestRunEndsWhenTheStoreCloses(t *testing.T) {
	st, clk, _ := openStore(t)
	w := newWorker(t, st, Config{}, clk)
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background()) }()
	testkit.Eventually(t, 5*time.Second, "the worker subscribed", func() bool { return st.Subscribers() == 1 })
	st.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end after the store closed")
	}
}
