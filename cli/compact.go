package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) compactCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "rewrite the database without its free pages, so destroyed secrets are really gone",
		Long: `compact copies the live data into a new file, syncs it and renames it over the
database; the old file is overwritten with zeros before it is removed. bbolt
leaves the records it no longer uses in free pages, sealed secrets of expired
and deleted keys among them, until compact runs (serve runs it by itself when
it is idle). Writes go on during the copy; they wait only while the commits
made meanwhile are applied to it and it is swapped in (for the whole copy if
bulk work during it left too many to apply), not for the zeros.`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			c, err := st.Compact()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.env.Stdout, "compacted %s: %s bytes before, %s after\n", model.Printable(st.Path()), model.Thousands(int(c.Before)), model.Thousands(int(c.After)))
			return nil
		},
	}
}
