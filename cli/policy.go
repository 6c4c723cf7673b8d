package cli

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) policyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "policy [max-lifetime DURATION|none]",
		Short: "show or set the lifetime policy: every new key expires within max-lifetime",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return nil
			case args[0] != "max-lifetime":
				return usagef("unknown policy %q: the policy is max-lifetime DURATION|none", model.Printable(args[0]))
			case len(args) != 2:
				return usagef("policy max-lifetime takes a duration (such as 366d) or none")
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []cobra.Completion{"max-lifetime"}, cobra.ShellCompDirectiveNoFileComp
			}
			return []cobra.Completion{"366d", "90d", "none"}, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			if len(args) == 2 {
				max := time.Duration(0)
				if args[1] != "none" {
					if max, err = parseLifetime("max-lifetime", args[1], false); err != nil {
						return err
					}
				}
				if err := st.SetMaxLifetime(a.env.Actor, max); err != nil {
					return err
				}
			}
			p, err := st.Policy()
			if err != nil {
				return err
			}
			if p.MaxLifetime == 0 {
				_, err = fmt.Fprintln(a.env.Stdout, "max-lifetime none: new keys need not expire")
				return err
			}
			_, err = fmt.Fprintf(a.env.Stdout, "max-lifetime %s: every new key expires within %s\n", model.FormatSpan(p.MaxLifetime), model.FormatSpan(p.MaxLifetime))
			return err
		},
	}
}
