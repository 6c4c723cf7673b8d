package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// app is one run of the command tree: the environment, the global flags,
// and the database once a command has opened it.
type app struct {
	env    Env
	db     string // --db
	org    string // --org
	create bool   // --create
	// --master-key-file, --etcd-ca, --etcd-cert, --etcd-key (database.go)
	masterKeyFile, etcdCA, etcdCert, etcdKey string
	node                                     string // serve: this node's name among a cluster's
	opened                                   *storage.Store
}

func newApp(env Env) *app { return &app{env: env} }

// getenv reads the environment; over SSH there is none.
func (a *app) getenv(key string) string {
	if a.env.Getenv == nil {
		return ""
	}
	return a.env.Getenv(key)
}

// store returns the database the command works on, opening it once.
// Only commands that may start a new organization pass create (and
// --create lets any command): a mistyped --db must not make a new one.
func (a *app) store(create bool) (*storage.Store, error) {
	if a.env.Store != nil {
		return a.env.Store, nil
	}
	if a.opened != nil {
		return a.opened, nil
	}
	d, err := a.database()
	if err != nil {
		return nil, err
	}
	st, err := a.open(d, storage.Options{Org: a.org, Actor: a.env.Actor, MustExist: !create && !a.create})
	if errors.Is(err, storage.ErrNoDatabase) {
		return nil, noDatabase(d.String())
	}
	if err != nil {
		return nil, err
	}
	if a.org != "" && st.Organization() != a.org {
		st.Close()
		return nil, fmt.Errorf("--org %q does not match %s, the database of organization %q (--org only names a new database)", a.org, d, st.Organization())
	}
	if st.Created() {
		where := d.keySource
		if where == "" {
			where = "at " + d.path + ".key"
		}
		a.warn("created a new database at %s (organization %q); its master key is %s", d, st.Organization(), where)
	}
	a.opened = st
	return st, nil
}

// noDatabase is the error for a path where no database exists, with how
// to create one on purpose.
func noDatabase(path string) error {
	return fmt.Errorf("no database at %s (create one with keyrack --db %s keys list --create, or run keyrack)", path, shellQuote(path))
}

// close closes the database if this run opened it.
func (a *app) close() {
	if a.opened != nil {
		a.opened.Close()
	}
}

// mailConfig is KEYRACK_SMTP_* from the environment, checked.
func (a *app) mailConfig() (mail.Config, error) {
	cfg, err := mail.FromEnv(a.getenv).Check()
	if err != nil {
		return cfg, fmt.Errorf("mail: %w", err)
	}
	return cfg, nil
}

// deliver gives mail caused by a command up to 10 s to leave before exit;
// what does not leave stays in the outbox.
func (a *app) deliver() {
	if a.env.Remote {
		return // the daemon's worker delivers it; the session need not wait
	}
	m := a.mailer()
	if m == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), mailDeadline)
	defer cancel()
	if err := m.DeliverNow(ctx); err != nil {
		a.warn("mail not delivered yet (it stays in the outbox): %s", err)
	}
}

// mailer is Env.Mailer, else a worker for a database this run opened
// (nil, with a warning, when the SMTP settings are wrong).
func (a *app) mailer() Mailer {
	if a.env.Mailer != nil || a.opened == nil {
		return a.env.Mailer
	}
	cfg, err := a.mailConfig()
	if err == nil {
		var w *mail.Worker
		if w, err = mail.New(a.opened, cfg, a.opened.Clock(), nil); err == nil {
			return w
		}
	}
	a.warn("%s", err)
	return nil
}

// warn prints a line on stderr, as errors are printed.
func (a *app) warn(format string, args ...any) {
	fmt.Fprintf(a.env.Stderr, "keyrack: %s\n", model.MaskTokens(model.Printable(fmt.Sprintf(format, args...))))
}

// table is an aligned table on stdout, its header line already written
// (none for ""); Flush prints it.
func (a *app) table(header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
	if header != "" {
		fmt.Fprintln(tw, header)
	}
	return tw
}

// shellQuote quotes a path for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
