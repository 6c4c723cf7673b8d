package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/keyrack/keyrack/ui"
)

// dashboard runs the TUI on the local database, with the scheduler (and
// the mail worker) inside the same process.
func dashboard(g globals) int {
	st, err := g.open()
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n", err)
		return 1
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quiet := slog.New(slog.DiscardHandler) // the screen belongs to the dashboard
	waitWorkers, err := startWorkers(ctx, st, os.Getenv, quiet)
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n", err)
		return 1
	}
	err = ui.Run(ctx, ui.Options{Store: st, Actor: localActor()}, os.Stdin, os.Stdout)
	cancel()
	waitWorkers()
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n", err)
		return 1
	}
	return 0
}
