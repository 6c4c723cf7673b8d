package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/keyrack/keyrack/cli"
)

// shutdownGrace is how long running commands and HTTP requests get to
// finish once serve is told to stop.
const shutdownGrace = 5 * time.Second

// serve runs the daemon until SIGINT or SIGTERM (SIGHUP reads the admin
// keys again), the SSH server fails or the database is found damaged.
func serve(o cli.ServeOptions) error {
	d, err := newDaemon(o, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		return err
	}
	ctx, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stopSignals()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	stopped := d.Start()
	if stopped == nil {
		stopped = d.Wait(ctx, hup)
	}
	stopSignals() // a second signal ends the process at once
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	d.Shutdown(grace)
	return stopped
}
