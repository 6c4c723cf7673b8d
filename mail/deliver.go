package mail

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// Backoff bounds: the first retry after a second, doubling to ten minutes.
const (
	firstRetry = time.Second
	lastRetry  = 10 * time.Minute
)

// outcome sums up one delivery pass.
type outcome struct {
	sent, failed, waiting int
	next                  time.Time // earliest retry still ahead; zero if none
	errs                  []string
}

// DeliverNow sends every undelivered mail at once, whatever its retry
// time, and returns an error naming what failed. It implements cli.Mailer.
// With no SMTP server configured it returns ErrNotConfigured (wrapped)
// when mail is waiting.
func (w *Worker) DeliverNow(ctx context.Context) error {
	out, err := w.pass(ctx, true)
	switch {
	case err != nil:
		return err
	case out.waiting > 0:
		return fmt.Errorf("%w (set KEYRACK_SMTP_ADDR): %s in the outbox", ErrNotConfigured, model.Count(out.waiting, "mail waits", "mails wait"))
	case out.failed > 0:
		return fmt.Errorf("%s of %s not delivered: %s", model.Thousands(out.failed), model.Count(out.failed+out.sent, "mail", ""), strings.Join(out.errs, "; "))
	}
	return nil
}

// pass delivers the mail that is due (all undelivered mail when force is
// set) over one connection and records each result.
func (w *Worker) pass(ctx context.Context, force bool) (outcome, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out outcome
	all, err := w.st.PendingMails()
	if err != nil {
		return out, err
	}
	if !w.cfg.Configured() {
		for _, n := range all {
			if err := w.st.MarkWaiting(n.ID, ErrNotConfigured.Error()); err != nil {
				return out, err
			}
		}
		out.waiting = len(all)
		return out, nil
	}
	now := w.clk.Now()
	var due []model.Notification
	var msgs []*gomail.Msg
	for _, n := range all {
		if !force && !n.Due(now) {
			out.next = clock.Earliest(out.next, n.NextAttemptAt)
			continue
		}
		m, err := compose(w.cfg, n)
		if err != nil {
			out.next = clock.Earliest(out.next, w.fail(n, err, now, &out))
			continue
		}
		due, msgs = append(due, n), append(msgs, m)
	}
	if due, msgs, err = w.claim(due, msgs, now, &out); err != nil || len(due) == 0 {
		return out, err
	}
	results := send(ctx, w.cfg, msgs)
	interrupted := ctx.Err()
	var cause, markErr error
	var unsent []string
	for i, n := range due {
		switch {
		case results[i] == nil:
			// Accepted, even if ctx ended since: recorded whatever else
			// fails, or the next pass would send it a second time.
			if err := w.st.MarkSent(n.ID, w.clk.Now()); err != nil {
				markErr = errors.Join(markErr, err)
				continue
			}
			out.sent++
			w.log.Info("mail sent", "id", n.ID, "kind", n.Kind, "recipients", len(n.Recipients))
		case interrupted != nil:
			// Interrupted, not refused: leave the entry as it was, for
			// any worker to send.
			cause = cmp.Or(cause, results[i])
			unsent = append(unsent, n.ID)
		default:
			out.next = clock.Earliest(out.next, w.fail(n, results[i], now, &out))
		}
	}
	if len(unsent) > 0 {
		markErr = errors.Join(markErr, w.st.ReleaseMails(unsent, w.claimer))
	}
	if markErr != nil {
		return out, markErr
	}
	if out.sent > 0 {
		if err := w.st.PruneSent(); err != nil {
			return out, err
		}
	}
	if cause != nil {
		return out, fmt.Errorf("delivery interrupted (%v): %v", interrupted, cause)
	}
	return out, nil
}

// fail records a failed attempt and returns when to try again.
func (w *Worker) fail(n model.Notification, err error, now time.Time, out *outcome) time.Time {
	msg := oneLine(err.Error())
	next := now.Add(Backoff(n.Attempts + 1))
	if merr := w.st.MarkFailed(n.ID, msg, next); merr != nil {
		w.log.Error("mail outbox", "id", n.ID, "err", merr)
	}
	out.failed++
	if len(out.errs) < 3 && !slices.Contains(out.errs, msg) {
		out.errs = append(out.errs, msg)
	}
	w.log.Warn("mail not delivered", "id", n.ID, "attempt", n.Attempts+1, "retry_at", next, "err", msg)
	return next
}

// Backoff returns the wait after the given number of failed attempts:
// 1 s, 2 s, 4 s, … up to 10 min.
func Backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < lastRetry; i++ {
		d *= 2
	}
	return min(d, lastRetry)
}

// oneLine keeps an SMTP error readable in a table: one line, bounded.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
