// Command keyrack manages an organization's API keys from a terminal: a
// dashboard, a command line, and `serve`, a daemon for SSH and HTTP.
package main

import (
	"os"

	"github.com/keyrack/keyrack/cli"
)

func main() {
	os.Exit(cli.Run(cli.Env{
		Actor:     cli.LocalActor(),
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		Dashboard: dashboard,
		Serve:     serve,
	}, os.Args[1:]))
}
