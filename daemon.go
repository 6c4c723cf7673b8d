package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"

	"github.com/keyrack/keyrack/api"
	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/sshd"
	"github.com/keyrack/keyrack/storage"
)

// daemon is `keyrack serve`: one store, and on it the SSH server, the HTTP
// side, the scheduler, the mail worker and auto-compaction. newDaemon
// checks what it was given (the admin keys, an existing host key) and
// takes both ports before it opens (or creates) the store; Start runs the
// sides, Wait serves until a stop, Shutdown stops them all. The store
// stays open: its opener closes it.
type daemon struct {
	o         cli.ServeOptions
	log       *slog.Logger
	files     uint64 // the open files limit, raised as far as allowed
	adminKeys []string

	sshLn  net.Listener
	httpLn net.Listener // nil without an HTTP side
	store  *storage.Store
	ssh    *sshd.Server
	mailer *mail.Worker

	http        *api.Server // once Start has loaded the caches
	served      chan error  // the SSH server's end, once Start runs it
	stopWorkers func()      // ends the workers and waits for them, once started
}

// newDaemon prepares serve with options o, logging to log. On an error
// nothing is left listening.
func newDaemon(o cli.ServeOptions, log *slog.Logger) (_ *daemon, err error) {
	d := &daemon{o: o, log: log, stopWorkers: func() {}}
	var limitErr error
	if d.files, limitErr = sshd.RaiseFileLimit(); limitErr != nil {
		log.Warn("cannot raise the open files limit", "limit", d.files, "err", limitErr)
	}
	if d.adminKeys, err = readAdminKeys(o); err != nil {
		return nil, err
	}
	// A host key file that is there must be usable before the store opens
	// (or is created); a missing one is created once the store is open.
	hostKey, keyErr := sshd.LoadHostKey(hostKeyPath(o))
	if keyErr != nil && !errors.Is(keyErr, fs.ErrNotExist) {
		return nil, keyErr
	}
	defer func() {
		if err != nil {
			d.closeListeners()
		}
	}()
	// The ports come before the store: a busy or wrong address creates
	// nothing on disk.
	if d.sshLn, err = net.Listen("tcp", o.SSHAddr); err != nil {
		return nil, fmt.Errorf("ssh: %w", err)
	}
	if o.HTTPAddr != "" {
		if d.httpLn, err = net.Listen("tcp", o.HTTPAddr); err != nil {
			return nil, fmt.Errorf("http: listen on %s: %w", o.HTTPAddr, err)
		}
	}
	if d.store, err = o.Open(); err != nil {
		return nil, err
	}
	if err := d.store.Announce(storage.Holder{Kind: storage.HolderServe}); err != nil {
		log.Warn("cannot say who holds the database", "err", err)
	}
	if d.mailer, err = newMailWorker(d.store, o.Mail, log); err != nil {
		return nil, err
	}
	d.ssh, err = sshd.New(sshd.Config{HostKeyPath: hostKeyPath(o), HostKey: hostKey, AdminKeys: d.adminKeys, Store: d.store,
		Mailer: d.mailer, Logger: log.With("component", "ssh")})
	if err != nil {
		return nil, err
	}
	d.store.SetReminders(reminders(o.RemindBefore, o.SSHAddr))
	return d, nil
}

// closeListeners lets go of both ports (again, harmlessly, after a
// server closed its own).
func (d *daemon) closeListeners() {
	for _, ln := range []net.Listener{d.sshLn, d.httpLn} {
		if ln != nil {
			ln.Close()
		}
	}
}
