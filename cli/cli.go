// Package cli is keyrack's command tree. The local binary runs it against
// the database it opens; `serve` runs the same tree for SSH sessions
// without a terminal, against the daemon's database.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// Version is the program's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Mailer delivers pending mail before a short-lived command exits.
type Mailer interface {
	DeliverNow(ctx context.Context) error
}

// Env is what a command runs with.
type Env struct {
	Store  *storage.Store
	Actor  string // who acts, for the audit log and mail
	Stdout io.Writer
	Stderr io.Writer
	Mailer Mailer // nil where a worker delivers in the background
	// Remote is set for commands that arrive over SSH: they may not read
	// the server's files (members add --ssh-key FILE).
	Remote bool
}

// command is one leaf of the tree.
type command struct {
	usage string // "keys rotate ID [--in now|1h|…] [--json]"
	help  string
	run   func(env Env, args []string) error
}

// usageError marks a mistake in how a command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// commands maps "group verb" (or a lone verb) to its command. Each command
// group registers itself from its own file.
var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

// Run runs one command (args without the program name) and returns the exit
// status: 0 success, 1 error, 2 usage error. Errors go to Stderr as
// "keyrack: message".
func Run(env Env, args []string) int {
	cmd, rest := lookup(args)
	if cmd == nil {
		if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
			io.WriteString(env.Stdout, Usage())
			return 0
		}
		fmt.Fprintf(env.Stderr, "keyrack: unknown command %q\n\n%s", model.Printable(strings.Join(args, " ")), Usage())
		return 2
	}
	err := cmd.run(env, rest)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(env.Stdout, "usage: keyrack %s\n  %s\n", cmd.usage, cmd.help)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "keyrack: %s\nusage: keyrack %s\n", model.Printable(err.Error()), cmd.usage)
		return 2
	}
	fmt.Fprintf(env.Stderr, "keyrack: %s\n", model.Printable(err.Error()))
	return 1
}

func lookup(args []string) (*command, []string) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return &c, args[2:]
		}
	}
	if len(args) >= 1 {
		if c, ok := commands[args[0]]; ok {
			return &c, args[1:]
		}
	}
	return nil, nil
}

// Usage lists every command.
func Usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: keyrack [--db PATH] [--org NAME] [command]\n\n")
	b.WriteString("  keyrack                  the dashboard\n")
	b.WriteString("  keyrack serve [flags]    the daemon: SSH dashboard, HTTP auth, scheduler, mail\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  keyrack %s\n", commands[n].usage)
	}
	return b.String()
}

// parse parses flags that may come before, between or after positional
// arguments, and checks the number of positionals.
func parse(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...) // after --, nothing is a flag
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if len(pos) != want {
		return nil, usagef("want %d argument(s), got %d", want, len(pos))
	}
	return pos, nil
}

// mailDeadline bounds how long a command waits for its mail to leave.
const mailDeadline = 10 * time.Second

// deliver gives mail caused by a command up to 10 s to leave before exit.
func deliver(env Env) {
	if env.Mailer == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), mailDeadline)
	defer cancel()
	if err := env.Mailer.DeliverNow(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "keyrack: mail not delivered yet (it stays in the outbox): %s\n", model.Printable(err.Error()))
	}
}
