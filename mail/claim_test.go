package mail

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

// Two workers share one outbox (two nodes on etcd): a mail claimed by one
// is not sent by the other, until the claim of a worker that died lapses.
func TestAMailClaimedByAnotherWorkerIsSentOnceItsClaimLapses(t *testing.T) {
	st, clk, _ := openStore(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{})
	cfg := Config{Addr: sk.Addr, TLS: TLSNone, From: "keyrack@acme.test", Timeout: 10 * time.Second}
	if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	pending, err := st.PendingMails()
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %d, %v", len(pending), err)
	}
	dead := clk.Now().Add(time.Minute)
	if got, err := st.ClaimMails([]string{pending[0].ID}, "a worker that died", dead); err != nil || len(got) != 1 {
		t.Fatalf("claim = %v, %v", got, err)
	}
	w := newWorker(t, st, cfg, clk)
	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	if n := len(sk.Mails()); n != 0 {
		t.Fatalf("%d messages sent while another worker held the claim", n)
	}
	clk.Set(dead.Add(time.Second))
	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	if err := deliverNow(w); err != nil {
		t.Fatal(err)
	}
	if n := len(sk.Mails()); n != 1 {
		t.Fatalf("%d messages once the claim lapsed, want 1", n)
	}
	if left, _ := st.PendingMails(); len(left) != 0 {
		t.Fatalf("%d mails still pending", len(left))
	}
}
