package cli

import (
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// exactArgs accepts exactly the named positional arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == len(names) {
			return nil
		}
		if len(names) == 0 {
			return usagef("%s takes no arguments, got %q", cmd.CommandPath(), strings.Join(args, " "))
		}
		return usagef("%s takes %s (%s), got %d", cmd.CommandPath(),
			model.Count(len(names), "argument", ""), strings.Join(names, " "), len(args))
	}
}

// group is a command that only holds others: alone it prints its help;
// followed by an unknown word it is a usage error with a suggestion.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:         use,
		Short:       short,
		Args:        subcommandArgs,
		Annotations: map[string]string{"group": "yes"},
		RunE:        func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	c.AddCommand(subs...)
	return c
}

// subcommandArgs refuses a word that names no subcommand.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usageError{msg}
}
