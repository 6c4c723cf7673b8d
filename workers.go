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

// startWorkers runs the scheduler and the mail worker w until ctx ends.
// wait returns once both have stopped: the store must not close under them
// (a delivery it could not record would be sent again at the next start).
func startWorkers(ctx context.Context, st *storage.Store, w *mail.Worker, log *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		w.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		scheduler.Run(ctx, st, clock.Real{}, log.With("component", "scheduler"))
	}()
	return wg.Wait
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
