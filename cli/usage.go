package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// parseSince reads a --since window (1h to 30d) and returns its start.
func parseSince(s string, now time.Time) (time.Time, error) {
	d, err := model.ParseSpan("--since", s, time.Hour, model.UsageRetention)
	if err != nil {
		return time.Time{}, usageError{err.Error()}
	}
	return now.Add(-d), nil
}

func (a *app) keysUsageCommand() *cobra.Command {
	var since string
	var asJSON bool
	c := &cobra.Command{
		Use:               "usage ID [--since 7d] [--json]",
		Short:             "what /auth saw of a key: requests per hour, allowed and refused, by resource and mode",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeKeyID,
		RunE: func(_ *cobra.Command, args []string) error {
			if _, err := parseSince(since, time.Time{}); err != nil {
				return err
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			from, _ := parseSince(since, st.Now())
			k, u, err := st.Usage(args[0], from)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.env.Stdout, usageJSONOf(k, u))
			}
			return a.printUsage(k, u, since)
		},
	}
	c.Flags().StringVar(&since, "since", "7d", "the window: from 1h to 30d back")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) printUsage(k model.Key, u model.Usage, since string) error {
	w := a.env.Stdout
	fmt.Fprintf(w, "key %s %s, last %s: %s, %s allowed, %s refused\n", k.ID, k.DisplayName(), since,
		model.Count(int(u.Allowed+u.Refused), "request", ""), model.Thousands(int(u.Allowed)), model.Thousands(int(u.Refused)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nRESOURCE\tMODE\tALLOWED\tREFUSED")
	for r := range u.Modes {
		for m, c := range u.Modes[r] {
			if c != (model.ModeCount{}) {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", model.Resource(r), model.ModeAt(m), c.Allowed, c.Refused)
			}
		}
	}
	fmt.Fprintln(tw, "\nHOUR\t\tALLOWED\tREFUSED")
	for _, h := range u.Hours {
		fmt.Fprintf(tw, "%s\t\t%d\t%d\n", model.FormatTime(h.Hour), h.Allowed, h.Refused)
	}
	return tw.Flush()
}
