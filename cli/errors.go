package cli

import (
	"errors"
	"fmt"

	"github.com/keyrack/keyrack/storage"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// usageError marks a mistake in how a command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode ends a command with a status and no message of its own: what
// it found (keys find, scan) is already printed.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// report prints err for the command that failed and returns the exit
// status. It is the one place errors reach the user: control characters
// are neutralised and anything that looks like a token is masked, since
// the message may quote an argument typed in the wrong place.
func (a *app) report(cmd *cobra.Command, err error) int {
	if err == nil {
		return 0
	}
	var quiet exitCode
	if errors.As(err, &quiet) {
		return int(quiet)
	}
	var se *storage.Error
	if errors.Is(err, storage.ErrDamaged) && errors.As(err, &se) {
		err = se // said alone: what the command was doing does not matter
	}
	if errors.Is(err, storage.ErrLastActiveKey) {
		// The SPEC names this refusal's code, as Lago's API does: scripts look for it.
		err = fmt.Errorf("%w (code %s)", err, storage.Code(err))
	}
	a.warn("%s", err)
	var ue usageError
	if !errors.As(err, &ue) {
		return 1
	}
	if cmd != nil {
		fmt.Fprintf(a.env.Stderr, "usage: %s\n", usageLine(cmd))
	}
	return 2
}

// usageLine is how a command is called, and where to learn more.
func usageLine(cmd *cobra.Command) string {
	if cmd.HasAvailableSubCommands() && !cmd.HasParent() {
		return fmt.Sprintf("%s [COMMAND] (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
	}
	if cmd.HasAvailableSubCommands() {
		return fmt.Sprintf("%s COMMAND (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
	}
	return cmd.UseLine()
}

// flagError makes a flag parsing error (unknown flag, missing or invalid
// value) a usage error. After a word that names no command, the word is
// the mistake to report (`keyrack frobnicate --now`), not the flag.
func flagError(cmd *cobra.Command, err error) error {
	if cmd.HasAvailableSubCommands() {
		if uerr := subcommandArgs(cmd, cmd.Flags().Args()); uerr != nil {
			return uerr
		}
	}
	var invalid *pflag.InvalidValueError
	if errors.As(err, &invalid) {
		return usagef("--%s %q: %s", invalid.GetFlag().Name, invalid.GetValue(), wantedValue(invalid))
	}
	return usageError{err.Error()}
}

// wantedValue says what a flag of this type takes, instead of the parser's
// words (`strconv.ParseInt: parsing "many": invalid syntax`).
func wantedValue(e *pflag.InvalidValueError) string {
	switch e.GetFlag().Value.Type() {
	case "int":
		return "want a whole number"
	case "bool":
		return "want true or false"
	case "duration":
		return "want a duration such as 5s, 1m or 2h"
	}
	return e.Unwrap().Error()
}
