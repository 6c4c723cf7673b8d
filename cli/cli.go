// Package cli is keyrack's command tree, built with cobra. The local
// binary runs it against the database it opens; `serve` runs the same tree
// for SSH sessions without a terminal, against the daemon's database.
package cli

import (
	"context"
	"io"
	"time"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/storage"
)

// Version is the program's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Mailer delivers pending mail before a short-lived command exits.
type Mailer interface {
	DeliverNow(ctx context.Context) error
}

// Env is what the command tree runs with.
type Env struct {
	// Store is the database the commands work on. Nil: the commands open
	// --db (or KEYRACK_DB) themselves and close it before Run returns.
	Store  *storage.Store
	Actor  string // who acts, for the audit log and mail
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (os.Getenv locally); nil reads nothing.
	Getenv func(string) string
	// Mailer delivers a command's mail before it exits, and what `mail
	// send` asks for. Nil: a database the commands opened themselves gets
	// a mail worker from KEYRACK_SMTP_*; a given Store gets none (a worker
	// delivers in the background). Over SSH (Remote) only mail send uses
	// it: the daemon's worker delivers the rest in the background.
	Mailer Mailer
	// Remote is set for commands that arrive over SSH: they may not read
	// the server's files (members add --ssh-key FILE) nor name a database.
	Remote bool
	// Dashboard runs the TUI (`keyrack` alone); nil where there is none.
	Dashboard func(DashboardOptions) error
	// Serve runs the daemon; nil where it cannot run (over SSH).
	Serve func(ServeOptions) error
}

// DashboardOptions is what the local dashboard runs with.
type DashboardOptions struct {
	Store *storage.Store
	Actor string
	Mail  mail.Config // checked
}

// mailDeadline bounds how long a command waits for its mail to leave.
const mailDeadline = 10 * time.Second

// Run runs one command line (args without the program name) and returns
// the exit status: 0 success, 1 error, 2 usage error. Errors go to Stderr
// as "keyrack: message", with anything that looks like a token masked.
func Run(env Env, args []string) int {
	a := newApp(env)
	defer a.close()
	root := a.rootCommand()
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	cmd, err := root.ExecuteC()
	return a.report(cmd, err)
}
