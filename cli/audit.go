package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/keyrack/keyrack/model"
)

func init() {
	register("audit", command{"audit [--json] [--limit N]", "show the audit log, newest first", audit})
	register("version", command{"version", "print the version", version})
}

func audit(env Env, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 50, "how many records (0 for all)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("--limit must be 0 or more")
	}
	entries, err := env.Store.Audit(*limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if entries == nil {
			entries = []model.AuditEntry{}
		}
		return writeList(env.Stdout, entries)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tACTOR\tACTION\tKEY\tDETAIL")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", stamp(e.At), model.Printable(e.Actor), e.Action, e.KeyID, model.Printable(e.Detail))
	}
	return tw.Flush()
}

func version(env Env, args []string) error {
	if _, err := parse(flag.NewFlagSet("version", flag.ContinueOnError), args, 0); err != nil {
		return err
	}
	_, err := fmt.Fprintf(env.Stdout, "keyrack %s\n", Version)
	return err
}
