package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

func (a *app) rekeyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rekey",
		Short: "re-seal every secret under a new master key, then compact",
		Long: `rekey generates a new master key, re-seals every token under it in one
transaction and compacts the file, so nothing sealed under the old key is
left. With the key file <db>.key, the new key is written beside it
(<db>.key.new) and renamed over it once the secrets are re-sealed; the old key
file is overwritten with zeros and removed. With KEYRACK_MASTER_KEY, the new
key is printed once on stdout: replace the variable with it before keyrack
starts again. Tokens do not change.`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			opts := storage.RekeyOptions{}
			if st.KeyInEnvironment() {
				opts.Announce = func(key string) error {
					_, err := fmt.Fprintf(a.env.Stdout, "%s\n", key)
					return err
				}
			}
			c, err := st.Rekey(a.env.Actor, opts)
			if err != nil {
				return err
			}
			if st.KeyInEnvironment() {
				fmt.Fprintf(a.env.Stderr, "keyrack: the line above is the new master key, shown once: replace %s with it now; the old key no longer opens %s\n", storage.MasterKeyEnv, model.Printable(st.Path()))
			} else {
				fmt.Fprintf(a.env.Stdout, "re-sealed every secret under a new master key in %s.key (the old key file was overwritten and removed)\n", model.Printable(st.Path()))
			}
			fmt.Fprintf(a.env.Stdout, "compacted %s: %s bytes before, %s after\n", model.Printable(st.Path()), model.Thousands(int(c.Before)), model.Thousands(int(c.After)))
			return nil
		},
	}
}
