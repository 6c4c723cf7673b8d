package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/sshd"
)

// shutdownGrace is how long running commands and HTTP requests get to
// finish once serve is told to stop.
const shutdownGrace = 5 * time.Second

// serveFlags are `keyrack serve`'s flags.
type serveFlags struct {
	sshAddr, httpAddr, hostKey string
	adminKeys                  []string
	lastUsedFlush              time.Duration
	smtp                       map[string]*string // env var → flag value
}

// parseServeFlags parses serve's flags; --help prints their usage to help.
func parseServeFlags(args []string, help io.Writer) (serveFlags, error) {
	f := serveFlags{smtp: map[string]*string{}}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by serve
	fs.StringVar(&f.sshAddr, "ssh-addr", ":23234", "SSH address: the dashboard and commands for admins")
	fs.StringVar(&f.httpAddr, "http-addr", ":8080", "HTTP address: forward auth and verify (empty: no HTTP)")
	fs.StringVar(&f.hostKey, "host-key", "", "SSH host key file, created if missing (default: ssh_host_ed25519 beside the database)")
	fs.Func("admin-key", "bootstrap admin: an SSH public key or a file of them (repeatable; also KEYRACK_ADMIN_KEYS)", func(v string) error {
		f.adminKeys = append(f.adminKeys, v)
		return nil
	})
	fs.DurationVar(&f.lastUsedFlush, "last-used-flush", 5*time.Second, "how often \"last used\" times are written to the database")
	for _, s := range []struct{ flag, env, help string }{
		{"smtp-addr", "KEYRACK_SMTP_ADDR", "SMTP server host:port"},
		{"smtp-user", "KEYRACK_SMTP_USER", "SMTP user (the password comes from KEYRACK_SMTP_PASSWORD only)"},
		{"smtp-from", "KEYRACK_SMTP_FROM", "sender address of notifications"},
		{"smtp-tls", "KEYRACK_SMTP_TLS", "starttls (default), tls or none"},
	} {
		f.smtp[s.env] = fs.String(s.flag, "", s.help)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(help, "usage: keyrack serve [flags]")
			fs.SetOutput(help)
			fs.PrintDefaults()
		}
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if f.lastUsedFlush <= 0 {
		return f, errors.New("--last-used-flush must be positive")
	}
	return f, nil
}

// getenv reads a KEYRACK_SMTP_* setting: the flag when given, else the
// environment.
func (f serveFlags) getenv(key string) string {
	if v, ok := f.smtp[key]; ok && *v != "" {
		return *v
	}
	return os.Getenv(key)
}

// serve runs the daemon: the scheduler, the mail worker, the SSH server
// and the HTTP hook on one store, until SIGINT or SIGTERM.
func serve(g globals, args []string) int {
	f, err := parseServeFlags(args, os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\nusage: keyrack serve [flags] (see keyrack serve --help)\n", err)
		return 2
	}
	if err := runServe(g, f); err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n", err)
		return 1
	}
	return 0
}

func runServe(g globals, f serveFlags) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	adminKeys, err := sshd.ReadAdminKeys(f.adminKeys)
	if err != nil {
		return err
	}
	adminKeys = append(adminKeys, sshd.SplitAdminKeys(os.Getenv("KEYRACK_ADMIN_KEYS"))...)

	st, err := g.open()
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := sshd.New(sshd.Config{HostKeyPath: f.hostKey, AdminKeys: adminKeys, Store: st, Logger: log.With("component", "ssh")})
	if err != nil {
		return err
	}
	workers, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	waitWorkers, err := startWorkers(workers, st, f.getenv, log)
	if err != nil {
		return err
	}
	// On every return, the workers end before the store closes (deferred
	// first): a delivery the mail worker could not record would be sent again.
	defer func() { stopWorkers(); waitWorkers() }()
	ln, err := net.Listen("tcp", f.sshAddr)
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	ctx, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stopSignals()

	var httpShutdown func(context.Context) error = func(context.Context) error { return nil }
	if f.httpAddr != "" {
		if httpShutdown, err = startHTTP(workers, st, f.httpAddr, f.lastUsedFlush, log.With("component", "http")); err != nil {
			ln.Close()
			return fmt.Errorf("http: %w", err)
		}
	}
	removeHint, err := writeServeHint(st.Path(), ln.Addr())
	if err != nil {
		log.Warn("cannot leave the SSH port for local commands", "err", err)
	}
	defer removeHint()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("keyrack serve started", "db", st.Path(), "ssh", ln.Addr().String(), "http", f.httpAddr, "admin_keys", len(adminKeys))

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case serveErr = <-served:
		log.Error("ssh server stopped", "err", serveErr)
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
	if serveErr != nil && !errors.Is(serveErr, ssh.ErrServerClosed) {
		return fmt.Errorf("ssh: %w", serveErr)
	}
	return nil
}

// writeServeHint leaves the SSH port in <db>.serve, where a local keyrack
// that finds the database locked reads it to suggest `ssh -p PORT localhost`.
func writeServeHint(dbPath string, addr net.Addr) (remove func(), err error) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return func() {}, fmt.Errorf("not a TCP address: %s", addr)
	}
	path := dbPath + ".serve"
	if err := os.WriteFile(path, []byte(strconv.Itoa(tcp.Port)+"\n"), 0o600); err != nil {
		return func() {}, err
	}
	return func() { os.Remove(path) }, nil
}
