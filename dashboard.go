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
// mail worker inside the same process on a bbolt file (on etcd the serve
// nodes run them: a dashboard must not take the election with its own
// mail settings and go away with it). It ends, with the damage as its
// error, once the store finds the file damaged.
func dashboard(o cli.DashboardOptions) error {
	// Only a hint for the next process: the dashboard runs without it.
	_ = o.Store.Announce(storage.Holder{Kind: storage.HolderDashboard})
	o.Store.SetReminders(storage.Reminders{Before: storage.DefaultRemindBefore, Command: "keyrack"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quiet := slog.New(slog.DiscardHandler) // the screen belongs to the dashboard
	w, err := newMailWorker(o.Store, o.Mail, quiet)
	if err != nil {
		return err
	}
	waitWorkers := func() {}
	if !o.Store.Shared() {
		waitWorkers = startWorkers(ctx, o.Store, w, quiet)
	}
	stopOnDamage(ctx, cancel, o.Store)
	err = ui.Run(ctx, ui.Options{Store: ui.FromStorage(o.Store), Actor: o.Actor}, os.Stdin, os.Stdout)
	cancel()
	waitWorkers()
	if damage := o.Store.DamageErr(); damage != nil {
		return damage
	}
	return err
}
