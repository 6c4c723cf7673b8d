package main

import (
	"fmt"
	"os"
)

func serve(g globals, args []string) int {
	fmt.Fprintln(os.Stderr, "keyrack: serve is not built yet")
	return 2
}
