package main

import (
	"context"
	"fmt"
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

// startMail runs the mail worker until ctx ends. wait returns once the
// worker has stopped, so that the store is not closed under a delivery
// (which would then be sent again at the next start).
func startMail(ctx context.Context, st *storage.Store, getenv func(string) string, log *slog.Logger) (wait func(), err error) {
	w, err := newWorker(st, getenv, log)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() { <-done }, nil
}
