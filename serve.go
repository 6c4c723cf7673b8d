package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/sshd"
	"github.com/keyrack/keyrack/storage"
)

// shutdownGrace is how long running commands and HTTP requests get to
// finish once serve is told to stop.
const shutdownGrace = 5 * time.Second

// serve runs the daemon: the scheduler, the mail worker, the SSH server
// and the HTTP hook on one store, until SIGINT or SIGTERM.
func serve(o cli.ServeOptions) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	files, err := sshd.RaiseFileLimit()
	if err != nil {
		log.Warn("cannot raise the open files limit", "limit", files, "err", err)
	}
	adminKeys, err := readAdminKeys(o)
	if err != nil {
		return err
	}
	// Listening comes before the store: a busy or wrong address creates
	// nothing on disk.
	ln, err := net.Listen("tcp", o.SSHAddr)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	defer ln.Close()

	st, err := o.Open()
	if err != nil {
		return err
	}
	if err := st.Announce(storage.Holder{Kind: storage.HolderServe}); err != nil {
		log.Warn("cannot say who holds the database", "err", err)
	}
	mailer, err := newMailWorker(st, o.Mail, log)
	if err != nil {
		return err
	}
	srv, err := sshd.New(sshd.Config{HostKeyPath: hostKeyPath(o), AdminKeys: adminKeys, Store: st, Mailer: mailer, Logger: log.With("component", "ssh")})
	if err != nil {
		return err
	}
	st.SetReminders(reminders(o.RemindBefore, o.SSHAddr))
	workers, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	waitMailAndScheduler := startWorkers(workers, st, mailer, log)
	compactor := make(chan struct{})
	go func() {
		defer close(compactor)
		st.RunAutoCompact(workers, storage.AutoCompact{Clock: st.Clock(), Log: log.With("component", "compact")})
	}()
	waitWorkers := func() { waitMailAndScheduler(); <-compactor }
	// On every return, the workers end before the store closes (deferred
	// first): a delivery the mail worker could not record would be sent again.
	defer func() { stopWorkers(); waitWorkers() }()
	ctx, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stopSignals()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	var httpShutdown func(context.Context) error = func(context.Context) error { return nil }
	if o.HTTPAddr != "" {
		if httpShutdown, err = startHTTP(workers, st, o.HTTPAddr, o.LastUsedFlush, log.With("component", "http")); err != nil {
			return fmt.Errorf("http: %w", err)
		}
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		if err := st.Announce(storage.Holder{Kind: storage.HolderServe, SSHPort: tcp.Port, SSHIP: tcp.IP.String()}); err != nil {
			log.Warn("cannot leave the SSH port for local commands", "err", err)
		}
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("keyrack serve started", "db", o.Database, "ssh", ln.Addr().String(), "http", o.HTTPAddr,
		"admin_keys", len(adminKeys), "open_files_limit", files)

	var serveErr error
	for running := true; running; {
		select {
		case <-ctx.Done():
			log.Info("shutting down")
			running = false
		case serveErr = <-served:
			log.Error("ssh server stopped", "err", serveErr)
			running = false
		case <-hup:
			reloadAdminKeys(o, srv, log)
		case <-st.Damaged():
			serveErr = st.DamageErr()
			log.Error("stopping: the database is damaged", "err", serveErr)
			running = false
		}
	}
	stopSignals() // a second signal ends the process at once

	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// Both sides stop accepting at once and share the grace period.
	sshDone := make(chan error, 1)
	go func() { sshDone <- srv.Shutdown(grace) }()
	if err := httpShutdown(grace); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	if err := <-sshDone; err != nil {
		log.Warn("ssh sessions cut short", "err", err)
	}
	stopWorkers()
	waitWorkers()
	log.Info("stopped")
	if errors.Is(serveErr, storage.ErrDamaged) {
		return serveErr
	}
	if serveErr != nil && !errors.Is(serveErr, ssh.ErrServerClosed) {
		return fmt.Errorf("ssh: %w", serveErr)
	}
	return nil
}

// readAdminKeys reads the bootstrap keys: --admin-key values (keys or
// files of keys) and KEYRACK_ADMIN_KEYS.
func readAdminKeys(o cli.ServeOptions) ([]string, error) {
	keys, err := sshd.ReadAdminKeys(o.AdminKeys)
	if err != nil {
		return nil, err
	}
	env, err := sshd.ReadAdminKeysEnv(o.AdminKeysEnv)
	return append(keys, env...), err
}

// reloadAdminKeys is SIGHUP: the --admin-key files are read again, and
// sessions of a key no longer listed end. A bad file keeps the old keys.
func reloadAdminKeys(o cli.ServeOptions, srv *sshd.Server, log *slog.Logger) {
	keys, err := readAdminKeys(o)
	if err == nil {
		err = srv.Reload(keys)
	}
	if err != nil {
		log.Error("admin keys not reloaded; the previous ones stay", "err", err)
	}
}

// hostKeyPath is --host-key, else ssh_host_ed25519 in serve's data directory.
func hostKeyPath(o cli.ServeOptions) string {
	if o.HostKey != "" {
		return o.HostKey
	}
	return filepath.Join(o.DataDir, sshd.HostKeyName)
}
