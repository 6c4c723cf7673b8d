package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// resourceJSON is a resource as `resources --json` prints it.
type resourceJSON struct {
	Name     string   `json:"name"`
	Modes    []string `json:"modes"`
	ReadOnly bool     `json:"read_only"`
}

func (a *app) resourcesCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "resources [--json]",
		Short: "list the resources a permission spec names; read-only ones offer no write",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			list := make([]resourceJSON, 0, model.ResourceCount)
			for _, r := range model.Resources() {
				j := resourceJSON{Name: r.String(), Modes: []string{"read", "write"}, ReadOnly: r.ReadOnly()}
				if j.ReadOnly {
					j.Modes = j.Modes[:1]
				}
				list = append(list, j)
			}
			if asJSON {
				return writeList(a.env.Stdout, list)
			}
			tw := a.table("RESOURCE\tMODES")
			for _, r := range list {
				modes := "read, write"
				if r.ReadOnly {
					modes = "read (read-only)"
				}
				fmt.Fprintf(tw, "%s\t%s\n", r.Name, modes)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
