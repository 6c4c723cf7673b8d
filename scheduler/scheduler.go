// Package scheduler retires keys when their grace period ends. It sleeps on
// a timer set to the earliest expiry and wakes when storage changes, so a
// nearer expiry re-arms it; it never polls.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/storage"
)

// Store is what the scheduler needs from storage.
type Store interface {
	ApplyDue(now time.Time) (int, error)
	NextDue() (time.Time, bool, error)
	Watch() *storage.Subscription
}

// retryAfter is how long the scheduler waits after a storage error.
const retryAfter = time.Second

// Run applies due expiries until ctx ends or the store closes. It first
// catches up on whatever fell due while nothing ran.
func Run(ctx context.Context, st Store, clk clock.Clock, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sub := st.Watch()
	defer sub.Close()
	for {
		wait, err := step(st, clk, log)
		if err != nil {
			log.Error("scheduler", "err", err)
			wait = retryAfter
		}
		if !clock.Wait(ctx, clk, wait, sub.C()) {
			return ctx.Err()
		}
	}
}

// step applies what is due and returns how long to sleep until the next
// expiry or idle deadline, or -1 when nothing is due.
func step(st Store, clk clock.Clock, log *slog.Logger) (time.Duration, error) {
	now := clk.Now()
	n, err := st.ApplyDue(now)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		log.Info("keys expired", "count", n)
	}
	next, ok, err := st.NextDue()
	if err != nil || !ok {
		return -1, err
	}
	if !next.After(now) {
		// ApplyDue(now) left an expiry at or before now: the index is stale.
		// Waiting 0 would spin; report it and retry later instead.
		return 0, fmt.Errorf("deadline %s is still pending after applying what was due", next.Format(time.RFC3339Nano))
	}
	return max(next.Sub(clk.Now()), 0), nil
}
