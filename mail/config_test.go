package mail

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

func TestConfigFromEnvironment(t *testing.T) {
	env := map[string]string{
		"KEYRACK_SMTP_ADDR": " smtp.example.com:587 ", "KEYRACK_SMTP_USER": "u", "KEYRACK_SMTP_PASSWORD": "p",
		"KEYRACK_SMTP_FROM": "Keyrack <keys@example.com>", "KEYRACK_SMTP_TLS": "TLS",
	}
	cfg, err := FromEnv(func(k string) string { return env[k] }).Check()
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "smtp.example.com:587", User: "u", Password: "p", From: "Keyrack <keys@example.com>", TLS: TLSImplicit, Timeout: defaultTimeout}
	if cfg != want {
		t.Fatalf("config %+v, want %+v", cfg, want)
	}
}

func TestConfigCheckFillsDefaultsAndExplainsMistakes(t *testing.T) {
	cfg, err := Config{Addr: "127.0.0.1:2525"}.Check()
	if err != nil || cfg.TLS != TLSStartTLS || !strings.HasPrefix(cfg.From, "keyrack@") || cfg.Timeout != defaultTimeout {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
	if cfg, err := (Config{}).Check(); err != nil || cfg.Configured() {
		t.Fatalf("empty config: %+v, %v; want valid and not configured", cfg, err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Addr: "smtp.example.com"}, "want host:port"},
		{Config{Addr: "smtp.example.com:0"}, "port from 1 to 65535"},
		{Config{Addr: ":25"}, "port from 1 to 65535"},
		{Config{Addr: "h:25", TLS: "ssl"}, "want starttls, tls or none"},
		{Config{Addr: "h:25", User: "u"}, "KEYRACK_SMTP_PASSWORD is empty"},
		{Config{Addr: "h:25", Password: "p"}, "KEYRACK_SMTP_USER is empty"},
		{Config{Addr: "h:25", From: "not an address"}, "KEYRACK_SMTP_FROM"},
		{Config{User: "u", Password: "p"}, "KEYRACK_SMTP_ADDR is empty"},
	} {
		if _, err := tc.cfg.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want an error saying %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := New(nil, Config{Addr: "nope"}, nil, nil); err == nil {
		t.Error("New accepted a bad config")
	}
}

func TestWithoutSMTPMailWaitsWithTheReasonAndNothingLoops(t *testing.T) {
	st, clk, _ := openStore(t)
	w := newWorker(t, st, Config{}, clk)
	if _, _, err := st.Create("ada", "ci", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	if err := deliverNow(w); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("DeliverNow = %v, want ErrNotConfigured", err)
	}
	left, _ := st.PendingMails()
	if len(left) != 1 || left[0].State != model.MailPending || left[0].Attempts != 0 || left[0].LastError != "no SMTP server configured" {
		t.Fatalf("entry %+v: want pending, no attempt, with the reason", left)
	}

	sub := st.Watch()
	defer sub.Close()
	changes := sub.C()
	done := make(chan error, 1)
	ctx, cancel := contextWithCancel()
	go func() { done <- w.Run(ctx) }()
	if _, _, err := st.Create("ada", "second", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 5*time.Second, "both mails waiting with their error", func() bool {
		left, _ := st.PendingMails()
		return len(left) == 2 && left[1].LastError != ""
	})
	seen := 0
	quiet := time.After(300 * time.Millisecond)
	for wait := true; wait; {
		select {
		case <-changes:
			seen++
		case <-quiet:
			wait = false
		}
	}
	cancel()
	<-done
	if seen > 3 {
		t.Fatalf("%d store changes in 300 ms with nothing to deliver: the worker loops", seen)
	}
	if clk.Waiters() != 0 {
		t.Fatalf("%d timers armed with nothing to retry", clk.Waiters())
	}
}
