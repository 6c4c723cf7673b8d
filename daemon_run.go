package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/memlimit"
	"github.com/keyrack/keyrack/storage"
)

// Start loads the store's caches for the HTTP side and serves it, then
// runs the workers and the SSH server. After an error, Shutdown still
// releases what it started.
func (d *daemon) Start() error {
	if d.httpLn != nil {
		if err := d.startHTTP(); err != nil {
			return fmt.Errorf("http: %w", err)
		}
	}
	d.runWorkers()
	if tcp, ok := d.sshLn.Addr().(*net.TCPAddr); ok {
		if err := d.store.Announce(storage.Holder{Kind: storage.HolderServe, SSHPort: tcp.Port, SSHIP: tcp.IP.String()}); err != nil {
			d.log.Warn("cannot leave the SSH port for local commands", "err", err)
		}
	}
	d.served = make(chan error, 1)
	go func() { d.served <- d.ssh.Serve(d.sshLn) }()
	d.log.Info("keyrack serve started", "db", d.o.Database, "ssh", d.sshLn.Addr().String(), "http", d.o.HTTPAddr,
		"admin_keys", len(d.adminKeys), "open_files_limit", d.files, "memory_limit_floor", d.o.MemoryLimit)
	return nil
}

// Wait serves until ctx ends (nil), the SSH server stops or the store
// finds its file damaged (why, as the error), reading the admin keys
// again on every value of reload (SIGHUP).
func (d *daemon) Wait(ctx context.Context, reload <-chan os.Signal) error {
	for {
		select {
		case <-ctx.Done():
			d.log.Info("shutting down")
			return nil
		case err := <-d.served:
			if err == nil || errors.Is(err, ssh.ErrServerClosed) {
				d.log.Info("ssh server stopped")
				return nil
			}
			d.log.Error("ssh server stopped", "err", err)
			return fmt.Errorf("ssh: %w", err)
		case <-reload:
			d.reloadAdminKeys()
		case <-d.store.Damaged():
			err := d.store.DamageErr()
			d.log.Error("stopping: the database is damaged", "err", err)
			return err
		}
	}
}

// runWorkers starts the scheduler and the mail worker (whenever this
// process leads, see startWorkers), auto-compaction, the memory limit's
// keeper and the drop of the file's pages from RSS every second.
func (d *daemon) runWorkers() {
	ctx, cancel := context.WithCancel(context.Background())
	waitLeading := startWorkers(ctx, d.store, d.mailer, d.log)
	var wg sync.WaitGroup
	wg.Go(func() {
		d.store.RunAutoCompact(ctx, storage.AutoCompact{Clock: d.store.Clock(), Log: d.log.With("component", "compact")})
	})
	if d.o.MemoryLimit > 0 {
		wg.Go(func() { memlimit.Keeper{Floor: d.o.MemoryLimit, Clock: clock.Real{}}.Run(ctx) })
	}
	wg.Go(func() { d.store.ReleaseEvery(ctx, clock.Real{}, time.Second) })
	d.stopWorkers = func() { cancel(); waitLeading(); wg.Wait() }
}

// reloadAdminKeys reads the --admin-key files again; sessions of a key no
// longer listed end. A bad file keeps the old keys.
func (d *daemon) reloadAdminKeys() {
	keys, err := readAdminKeys(d.o)
	if err == nil {
		err = d.ssh.Reload(keys)
	}
	if err != nil {
		d.log.Error("admin keys not reloaded; the previous ones stay", "err", err)
	}
}

// Shutdown stops both servers from accepting at once, lets sessions and
// requests finish until ctx ends (they share it), writes the last "last
// used" times, then stops the workers: they end before the store closes,
// for a delivery the mail worker could not record would be sent again.
func (d *daemon) Shutdown(ctx context.Context) {
	sshDone := make(chan error, 1)
	go func() { sshDone <- d.ssh.Shutdown(ctx) }()
	if d.http != nil {
		if err := d.http.Shutdown(ctx); err != nil {
			d.log.Warn("http shutdown", "err", err)
		}
	}
	if err := <-sshDone; err != nil {
		d.log.Warn("ssh sessions cut short", "err", err)
	}
	d.closeListeners() // those Start did not get to serve on
	d.stopWorkers()
	d.log.Info("stopped")
}
