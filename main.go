// Command keyrack manages an organization's API keys from a terminal: a
// dashboard, a command line, and `serve`, a daemon for SSH and HTTP.
package main

import (
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	g, rest, err := globalFlags(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n\n%s", err, cli.Usage())
		return 2
	}
	switch {
	case len(rest) == 0:
		return dashboard(g)
	case rest[0] == "serve":
		return serve(g, rest[1:])
	case rest[0] == "version", rest[0] == "help", rest[0] == "--help", rest[0] == "-h":
		return cli.Run(cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}, rest)
	}
	st, err := g.open()
	if err != nil {
		fmt.Fprintf(os.Stderr, "keyrack: %s\n", err)
		return 1
	}
	defer st.Close()
	return cli.Run(cli.Env{Store: st, Actor: localActor(), Stdout: os.Stdout, Stderr: os.Stderr, Mailer: mailer(st)}, rest)
}

// globals are the flags every command accepts.
type globals struct {
	db  string
	org string
}

// globalFlags takes --db and --org from anywhere in args up to a "--",
// which it leaves in place: after it the command's own parser takes every
// word as an argument (a key named "--org").
func globalFlags(args []string) (globals, []string, error) {
	g := globals{db: os.Getenv("KEYRACK_DB")}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "db" && name != "org") {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return g, nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		if name == "db" {
			g.db = val
		} else {
			g.org = val
		}
	}
	if g.db == "" {
		p, err := storage.DefaultPath()
		if err != nil {
			return g, nil, err
		}
		g.db = p
	}
	return g, rest, nil
}

func (g globals) open() (*storage.Store, error) {
	return storage.Open(g.db, storage.Options{Org: g.org, Actor: localActor()})
}

// localActor names the person at this terminal in the audit log.
func localActor() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return "local " + name + "@" + host
}
