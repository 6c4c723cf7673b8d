package cli

import (
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// completeKeyID offers the ids of the usable keys, with their names, for a
// command's first argument.
func (a *app) completeKeyID(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	st, err := a.store(false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	now := st.Now()
	var out []cobra.Completion
	err = st.EachKey(func(k model.Key) error {
		if !k.PastExpiry(now) {
			out = append(out, cobra.CompletionWithDesc(k.ID, model.Printable(k.DisplayName())))
		}
		return nil
	})
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeMember offers the members' email addresses.
func (a *app) completeMember(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	st, err := a.store(false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	ms, err := st.Members()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	out := make([]cobra.Completion, 0, len(ms))
	for _, m := range ms {
		out = append(out, cobra.CompletionWithDesc(m.Email, string(m.Role)))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSpec offers the next item of a permission spec: all, none, or
// resource= after the items already typed.
func completeSpec(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, current := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, current = toComplete[:i+1], toComplete[i+1:]
	}
	var out []cobra.Completion
	if done == "" {
		out = append(out, "all", "none")
	}
	if name, _, typedMode := strings.Cut(current, "="); typedMode {
		r, err := model.LookupResource(name)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		modes := []string{"read", "write", "read+write"}
		if r.ReadOnly() {
			modes = modes[:1]
		}
		for _, m := range modes {
			out = append(out, done+name+"="+m)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	for _, r := range model.Resources() {
		out = append(out, done+r.String()+"=")
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// fixedValues offers a flag's fixed set of values.
func fixedValues(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// tidyDefaultCommands puts keyrack's help command in the tree and gives
// cobra's completion command the tree's wording; `completion tcsh` is a
// usage error like any unknown word.
func tidyDefaultCommands(root *cobra.Command) {
	root.SetHelpCommand(helpCommand())
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			c.Short = "print a shell completion script: bash, zsh, fish or powershell"
			c.Args = subcommandArgs
			c.Annotations = map[string]string{"group": "yes"}
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
			for _, shell := range c.Commands() {
				shell.Short = "the completion script for " + shell.Name()
			}
		}
	}
}
