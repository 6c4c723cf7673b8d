package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/scheduler"
	"github.com/keyrack/keyrack/storage"
)

// newMailWorker is the mail worker of a long-running process.
func newMailWorker(st *storage.Store, cfg mail.Config, log *slog.Logger) (*mail.Worker, error) {
	w, err := mail.New(st, cfg, st.Clock(), log.With("component", "mail"))
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return w, nil
}

// leaderElection is the election the scheduler and the mail worker run
// under: one process of those sharing a database runs them.
const leaderElection = "scheduler"

// startWorkers runs the scheduler and the mail worker w until ctx ends,
// whenever this process leads (storage.Store.Lead; on bbolt at once),
// both on the store fenced by that leadership so that a deposed leader
// changes nothing. wait returns once both have stopped: the store must
// not close under them (a delivery it could not record would be sent
// again at the next start).
func startWorkers(ctx context.Context, st *storage.Store, w *mail.Worker, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := st.Lead(ctx, leaderElection, func(lctx context.Context, fenced *storage.Store) error {
			log.Info("leading: the scheduler and the mail worker run here")
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				w.For(fenced).Run(lctx)
			}()
			go func() {
				defer wg.Done()
				scheduler.Run(lctx, fenced, clock.Real{}, log.With("component", "scheduler"))
			}()
			wg.Wait()
			if ctx.Err() == nil {
				log.Info("no longer leading")
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			log.Error("election", "err", err)
		}
	}()
	return func() { <-done }
}

// stopOnDamage calls stop once st finds its file damaged (or ctx ends):
// a process must not go on working on a damaged database.
func stopOnDamage(ctx context.Context, stop func(), st *storage.Store) {
	go func() {
		select {
		case <-st.Damaged():
			stop()
		case <-ctx.Done():
		}
	}()
}
