package main

import (
	"sync"

	"context"
	"fmt"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/scheduler"
	"log/slog"
	"os"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/storage"
)

// newWorker builds the mail worker from the KEYRACK_SMTP_* settings that
// getenv reads.
func newWorker(st *storage.Store, getenv func(string) string, log *slog.Logger) (*mail.Worker, error) {
	return mail.New(st, mail.FromEnv(getenv), st.Clock(), log)
}

// mailer returns what delivers a command's mail before it exits, or nil
// (with a warning) when the SMTP settings are wrong: the mail then waits.
func mailer(st *storage.Store) cli.Mailer {
	w, err := newWorker(st, os.Getenv, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: mail: %s\n", err)
		return nil
	}
	return w
}

// startWorkers runs the scheduler and the mail worker until ctx ends.
// wait returns once both have stopped: the store must not close under them
// (a delivery it could not record would be sent again at the next start).
func startWorkers(ctx context.Context, st *storage.Store, getenv func(string) string, log *slog.Logger) (wait func(), err error) {
	w, err := newWorker(st, getenv, log.With("component", "mail"))
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
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
	return wg.Wait, nil
}
