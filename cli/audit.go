package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) auditCommand() *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "audit [--json] [--limit N]",
		Short: "show the audit log, newest first",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			if limit < 0 {
				return usagef("--limit must be 0 or more")
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			entries, err := st.Audit(limit)
			if err != nil {
				return err
			}
			if total, err := st.AuditCount(); err == nil && limit > 0 && total > len(entries) {
				fmt.Fprintf(a.env.Stderr, "showing %s of %s; --limit 0 for all\n", model.Thousands(len(entries)), model.Count(total, "entry", "entries"))
			}
			if asJSON {
				if entries == nil {
					entries = []model.AuditEntry{}
				}
				return writeList(a.env.Stdout, entries)
			}
			tw := a.table("WHEN\tACTOR\tACTION\tKEY\tDETAIL")
			for _, e := range entries {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", model.FormatTime(e.At), model.Printable(e.Actor), model.ActionWords(e.Action), e.KeyID, model.Printable(e.Detail))
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().IntVarP(&limit, "limit", "l", 50, "how many entries, newest first (0 for all)")
	return c
}
