package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/ui"
)

// dashboard runs the TUI on the local database, with the scheduler and the
// mail worker inside the same process.
func dashboard(o cli.DashboardOptions) error {
	if err := o.Store.Announce(storage.Holder{Kind: storage.HolderDashboard}); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quiet := slog.New(slog.DiscardHandler) // the screen belongs to the dashboard
	waitWorkers, err := startWorkers(ctx, o.Store, o.Mail, quiet)
	if err != nil {
		return err
	}
	err = ui.Run(ctx, ui.Options{Store: o.Store, Actor: o.Actor}, os.Stdin, os.Stdout)
	cancel()
	waitWorkers()
	return err
}
