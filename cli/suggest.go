package cli

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// withUsageAdvice adds --suggest and --dry-run SPEC to keys permissions:
// advice from the key's recorded use, changing nothing.
func (a *app) withUsageAdvice(c *cobra.Command) *cobra.Command {
	var suggest bool
	var dryRun, since string
	set, args := c.RunE, c.Args
	c.Use = "permissions ID SPEC | ID --suggest [--since 30d] | ID --dry-run SPEC [--since 30d]"
	c.Args = func(cmd *cobra.Command, a []string) error {
		if suggest || cmd.Flags().Changed("dry-run") {
			return exactArgs("ID")(cmd, a)
		}
		return args(cmd, a)
	}
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if !suggest && !cmd.Flags().Changed("dry-run") {
			if cmd.Flags().Changed("since") {
				return usagef("--since goes with --suggest or --dry-run")
			}
			return set(cmd, args)
		}
		return a.permissionsAdvice(args[0], suggest, cmd.Flags().Changed("dry-run"), dryRun, since)
	}
	c.Flags().BoolVar(&suggest, "suggest", false, "print the smallest spec that would have allowed every request the key was allowed in the window")
	c.Flags().StringVar(&dryRun, "dry-run", "", "say how many of the key's requests in the window SPEC would have refused; change nothing")
	c.Flags().StringVar(&since, "since", "30d", "with --suggest or --dry-run: the window, from 1h to 30d back")
	return c
}

func (a *app) permissionsAdvice(id string, suggest, dry bool, spec, since string) error {
	if suggest && dry {
		return usagef("--suggest and --dry-run do not go together")
	}
	var perms model.Permissions
	if dry {
		p, err := model.ParsePermissions(spec)
		if err != nil {
			return usagef("--dry-run: %v", err)
		}
		perms = p
	}
	if _, err := parseSince(since, time.Time{}); err != nil {
		return err
	}
	st, err := a.store(false)
	if err != nil {
		return err
	}
	from, _ := parseSince(since, st.Now())
	k, u, err := st.Usage(id, from)
	if err != nil {
		return err
	}
	w := a.env.Stdout
	if suggest {
		fmt.Fprintf(a.env.Stderr, "key %s, last %s: %s allowed (%s refused, not included)\n", k.ID, since, model.Count(int(u.Allowed), "request", ""), model.Thousands(int(u.Refused)))
		_, err = fmt.Fprintln(w, specOf(u.Suggest()))
		return err
	}
	refused, total := u.DryRun(perms)
	fmt.Fprintf(w, "%s would have refused %s of the %s key %s was allowed in the last %s\n",
		specOf(perms), model.Thousands(int(total)), model.Count(int(u.Allowed), "request", ""), k.ID, since)
	for _, r := range refused {
		fmt.Fprintf(w, "  %s %s: %s\n", r.Resource, r.Mode, model.Thousands(int(r.Requests)))
	}
	return nil
}

// specOf writes permissions as a spec keys permissions accepts.
func specOf(p model.Permissions) string {
	if p == (model.Permissions{}) {
		return "none"
	}
	return p.String()
}
