package storage

import (
	"fmt"
	"github.com/keyrack/keyrack/clock"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestNotificationsGoToTheAdminsOfTheMoment(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		mustCreate(t, s, "before anyone")
		if out, _ := s.Outbox(0); len(out) != 0 {
			t.Fatalf("mail written with no admin: %+v", out)
		}
		for email, role := range map[string]model.Role{"ada@example.com": model.RoleAdmin, "max@example.com": model.RoleManager, "fin@example.com": model.RoleFinance} {
			if _, err := s.AddMember("tester", email, role, nil); err != nil {
				t.Fatal(err)
			}
		}
		k, _ := mustCreate(t, s, "first")
		if _, err := s.AddMember("tester", "bob@example.com", model.RoleAdmin, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete("tester", k.ID); err != nil {
			t.Fatal(err)
		}
		out, _ := s.Outbox(0)
		if len(out) != 2 || out[0].Kind != model.NotifyDeleted || out[1].Kind != model.NotifyCreated {
			t.Fatalf("outbox %+v", out)
		}
		if !slices.Equal(out[1].Recipients, []string{"ada@example.com"}) || !slices.Equal(out[0].Recipients, []string{"ada@example.com", "bob@example.com"}) {
			t.Errorf("recipients %v then %v", out[1].Recipients, out[0].Recipients)
		}
		if out[1].State != model.MailPending || out[1].KeyMasked != k.Masked() || out[1].Organization != "Acme" {
			t.Errorf("entry %+v", out[1])
		}
	})
}

func TestMailStateChanges(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, clk *clock.Fake) {
		if _, err := s.AddMember("tester", "ada@example.com", model.RoleAdmin, nil); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, s, "a")
		n := onlyMail(t, s)
		sub := s.Watch()
		defer sub.Close()
		changes := sub.C()

		must(t, s.MarkWaiting(n.ID, "no SMTP server configured"))
		<-changes
		must(t, s.MarkWaiting(n.ID, "no SMTP server configured"))
		select {
		case <-changes:
			t.Fatal("an unchanged waiting reason woke the subscribers (a worker would loop)")
		default:
		}
		if n = onlyMail(t, s); n.Attempts != 0 || n.LastError != "no SMTP server configured" || n.State != model.MailPending {
			t.Fatalf("after MarkWaiting: %+v", n)
		}

		next := clk.Now().Add(time.Minute)
		must(t, s.MarkFailed(n.ID, "connection refused", next))
		if n = onlyMail(t, s); n.State != model.MailFailed || n.Attempts != 1 || !n.NextAttemptAt.Equal(next) || n.Due(clk.Now()) {
			t.Fatalf("after MarkFailed: %+v", n)
		}
		must(t, s.RetryMailNow())
		if n = onlyMail(t, s); !n.Due(clk.Now()) {
			t.Fatalf("after RetryMailNow: not due: %+v", n)
		}
		must(t, s.MarkSent(n.ID, clk.Now()))
		must(t, s.MarkFailed(n.ID, "late report", next))
		must(t, s.MarkSent(n.ID, clk.Now()))
		if n = onlyMail(t, s); n.State != model.MailSent || n.Attempts != 2 || n.LastError != "" || !n.SentAt.Equal(clk.Now()) {
			t.Fatalf("a sent mail changed after it was sent: %+v", n)
		}
		if left, _ := s.PendingMails(); len(left) != 0 {
			t.Fatalf("undelivered %+v", left)
		}
		for _, bad := range []string{"", "zz", "0000000000000001", "0000000000000009.abc"} {
			if err := s.MarkSent(bad, clk.Now()); Code(err) != ErrNotFound.Code {
				t.Errorf("MarkSent(%q) = %v, want not found", bad, err)
			}
		}
	})
}

func TestSentMailIsPrunedToTheNewestThousand(t *testing.T) {
	onBoth(t, func(t *testing.T, s *Store, _ *clock.Fake) {
		// The first two mails wait, the rest went out.
		must(t, s.chunked(keepSent+5, func(w *wtx, i int) error {
			seq := uint64(i + 1)
			n := model.Notification{ID: fmt.Sprintf("%016x.x", seq), State: model.MailPending}
			if seq <= 2 {
				return w.queueMail(encodeUint(seq), n)
			}
			n.State, n.SentAt = model.MailSent, t0
			return putRecord(w.tx, bucketOutbox, encodeUint(seq), n)
		}))
		must(t, s.MarkSent(fmt.Sprintf("%016x.x", 2), t0))
		if out, _ := s.Outbox(0); len(out) != keepSent+5 {
			t.Fatalf("marking mail sent pruned already: %d entries", len(out))
		}
		must(t, s.PruneSent())
		if s.PendingMail() != 1 {
			t.Errorf("PendingMail() = %d, want 1", s.PendingMail())
		}
		out, _ := s.Outbox(0)
		if len(out) != keepSent+1 || out[len(out)-1].State != model.MailPending || out[len(out)-2].ID != fmt.Sprintf("%016x.x", 6) {
			t.Fatalf("after pruning: %d entries, oldest %s %s", len(out), out[len(out)-2].ID, out[len(out)-1].State)
		}
	})
}

// TestCrashLosesNoNotification kills the crash test's child (which creates,
// rotates, deletes and expires keys) and checks that every audited
// operation that mails has its mail, and no mail lacks its operation.
func TestCrashLosesNoNotification(t *testing.T) {
	t.Setenv(MasterKeyEnv, "")
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path, Options{})
	must(t, err)
	_, err = s.AddMember("tester", "ada@example.com", model.RoleAdmin, nil)
	must(t, err)
	s.Close()
	for i := 0; i < 8; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		if _, err := out.Read(make([]byte, 6)); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child %d did not start: %v", i, err)
		}
		time.Sleep(time.Duration(20+i*15) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	s, err = Open(path, Options{})
	must(t, err)
	defer s.Close()
	if n := checkMailMatchesAudit(t, s); n < 10 {
		t.Fatalf("children did little work: %d mailing operations", n)
	}
}

func onlyMail(t *testing.T, s *Store) model.Notification {
	t.Helper()
	out, err := s.Outbox(0)
	if err != nil || len(out) != 1 {
		t.Fatalf("want exactly one mail, got %d (%v)", len(out), err)
	}
	return out[0]
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
