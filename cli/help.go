package cli

import (
	"github.com/spf13/cobra"
)

// helpCommand is `keyrack help [COMMAND…]`: the help of the command named,
// and a usage error with a suggestion for a word that names none.
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]...",
		Short: "help about any command: keyrack help keys rotate",
		// Added by cobra at Execute, after the tree's usage lines are set.
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			target := cmd.Root()
			for i, word := range args {
				sub := subcommand(target, word)
				if sub == nil {
					return subcommandArgs(target, args[i:])
				}
				target = sub
			}
			return target.Help()
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target := cmd.Root()
			for _, word := range args {
				if target = subcommand(target, word); target == nil {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
			}
			var out []cobra.Completion
			for _, c := range target.Commands() {
				if c.IsAvailableCommand() {
					out = append(out, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
	}
}

// subcommand is c's available subcommand called name, or nil.
func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && (sub.Name() == name || sub.HasAlias(name)) {
			return sub
		}
	}
	return nil
}
