package main

import (
	"fmt"
	"os"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/storage"
)

func dashboard(g globals) int {
	fmt.Fprintln(os.Stderr, "keyrack: the dashboard is not built yet")
	return 2
}

func serve(g globals, args []string) int {
	fmt.Fprintln(os.Stderr, "keyrack: serve is not built yet")
	return 2
}

func mailer(st *storage.Store) cli.Mailer { return nil }
