package mail

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

func TestOutageKeepsMailUntilServerReturnsThenSendsOnceAcrossRestart(t *testing.T) {
	st, clk, path := openStore(t)
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{})
	sk.Stop()
	cfg := Config{Addr: sk.Addr, TLS: TLSNone, From: "keyrack@acme.test"}
	w := newWorker(t, st, cfg, clk)

	for _, name := range []string{"first", "second"} {
		if _, _, err := st.Create("ada", name, model.AllPermissions()); err != nil {
			t.Fatal(err)
		}
	}
	err := deliverNow(w)
	if err == nil || !strings.Contains(err.Error(), "nothing accepts connections") {
		t.Fatalf("DeliverNow with the server down = %v, want nothing accepts connections", err)
	}
	pending, _ := st.PendingMails()
	if len(pending) != 2 {
		t.Fatalf("%d undelivered, want 2", len(pending))
	}
	for _, n := range pending {
		if n.State != model.MailFailed || n.Attempts != 1 || !strings.Contains(n.LastError, "nothing accepts connections") {
			t.Errorf("entry after outage: state %s attempts %d error %q", n.State, n.Attempts, n.LastError)
		}
		if want := clk.Now().Add(time.Second); !n.NextAttemptAt.Equal(want) {
			t.Errorf("next attempt %v, want %v (1 s backoff)", n.NextAttemptAt, want)
		}
	}

	// The process ends; another starts on the same database.
	st.Close()
	st, err = storage.Open(path, storage.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w = newWorker(t, st, cfg, clk)
	sk.Restart()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	testkit.Eventually(t, 5*time.Second, "the worker waiting for the retry", func() bool { return clk.Waiters() > 0 }) // Run sleeps until the retry
	if got := len(sk.Mails()); got != 0 {
		t.Fatalf("%d messages before the retry time", got)
	}
	clk.Advance(time.Second)
	testkit.Eventually(t, 5*time.Second, "both mails delivered", func() bool { return len(sk.Mails()) == 2 })
	if err := deliverNow(w); err != nil { // a racing "mail send" finds nothing left
		t.Fatal(err)
	}
	cancel()
	<-done // what Run was sending when it stopped is counted below

	wantEachOnce(t, sk, 2)
	if left, _ := st.PendingMails(); len(left) != 0 {
		t.Errorf("%d entries still undelivered", len(left))
	}
}

func TestBackoffDoublesFromOneSecondToTenMinutes(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
		10: 512 * time.Second, 11: 10 * time.Minute, 1000: 10 * time.Minute,
	} {
		if got := Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestInterruptedPassKeepsWhatTheServerAcceptedSoItIsNeverSentTwice(t *testing.T) {
	st, clk, _ := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The server accepts the first mail; as the second one's DATA begins,
	// the daemon is told to stop, once.
	var refused atomic.Bool
	sk := testkit.StartSMTPSink(t, testkit.SMTPOptions{BeforeData: func(stored int) error {
		if stored == 1 && refused.CompareAndSwap(false, true) {
			cancel()
			return errors.New("451 try again later")
		}
		return nil
	}})
	w := newWorker(t, st, Config{Addr: sk.Addr, TLS: TLSNone, From: "keyrack@acme.test"}, clk)
	for _, name := range []string{"first", "second"} {
		if _, _, err := st.Create("ada", name, model.AllPermissions()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.DeliverNow(ctx); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("DeliverNow = %v, want an interruption", err)
	}
	pending, _ := st.PendingMails()
	if len(pending) != 1 {
		t.Fatalf("%d undelivered after the interruption, want 1 (the accepted mail is sent)", len(pending))
	}
	if n := pending[0]; n.Attempts != 0 || n.State == model.MailFailed {
		t.Errorf("the interrupted mail counts as a failure: state %s attempts %d", n.State, n.Attempts)
	}

	if err := deliverNow(w); err != nil { // the next start
		t.Fatal(err)
	}
	wantEachOnce(t, sk, 2)
}
