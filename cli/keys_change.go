package cli

import (
	"fmt"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

func (a *app) keysCreateCommand() *cobra.Command {
	var name, spec, expires string
	var asJSON bool
	c := &cobra.Command{
		Use:   "create [--name N] [--permissions SPEC] [--expires DURATION] [--json]",
		Short: "create a key and print its token",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			perms, err := model.ParsePermissions(spec)
			if err != nil {
				return usagef("--permissions: %v", err)
			}
			var lifetime time.Duration
			if expires != "" {
				if lifetime, err = parseLifetime("--expires", expires, false); err != nil {
					return err
				}
			}
			st, err := a.store(true)
			if err != nil {
				return err
			}
			key, tok, err := st.CreateKey(a.env.Actor, storage.CreateOptions{Name: name, Permissions: perms, Lifetime: lifetime})
			if err != nil {
				return err
			}
			defer a.deliver()
			note := "created key " + key.ID
			if !key.ExpiresAt.IsZero() {
				note += "; it expires at " + model.FormatTime(key.ExpiresAt)
			}
			return a.printNewKey(st, key, tok, asJSON, note)
		},
	}
	c.Flags().StringVarP(&name, "name", "n", "", "the key's name (at most 64 printable characters)")
	c.Flags().StringVarP(&spec, "permissions", "p", "all", "all | none | resource=read,resource=write,resource=read+write,… (see keyrack resources)")
	c.Flags().StringVar(&expires, "expires", "", "the key expires this long after its creation (such as 90d; default: never, or the policy's max lifetime)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the new key as JSON, token included")
	c.RegisterFlagCompletionFunc("permissions", completeSpec)
	return c
}

func (a *app) keysRotateCommand() *cobra.Command {
	var in, untilIdle, maxLife string
	var asJSON, all, yes bool
	c := &cobra.Command{
		Use:   "rotate ID [--in now|1h|24h|48h|7d|DURATION | --until-idle IDLE [--max MAX]] [--json]",
		Short: "replace a key (or every active key); the old one stays usable for the delay",
		Example: "  keyrack keys rotate ID --until-idle 15m [--max 7d] [--json]\n" +
			"      the old key retires once /auth has not seen it for 15m, at the latest after --max\n" +
			"  keyrack keys rotate --all [--in now|1h|24h|48h|7d|DURATION] [--yes] [--json]\n" +
			"      rotate every active key (leak response); asks on a terminal, else needs --yes",
		Args: func(cmd *cobra.Command, args []string) error {
			if all {
				return exactArgs()(cmd, args)
			}
			return exactArgs("ID")(cmd, args)
		},
		ValidArgsFunction: a.completeKeyID,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("until-idle") || cmd.Flags().Changed("max") {
				if all {
					return usagef("--until-idle rotates one key, not --all")
				}
				return a.rotateUntilIdle(cmd, args[0], untilIdle, maxLife, asJSON)
			}
			delay, err := model.ParseRotationDelay(in)
			if err != nil {
				return usagef("--in: %v", err)
			}
			if all {
				return a.rotateAll(in, delay, yes, asJSON)
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			key, tok, err := st.Rotate(a.env.Actor, args[0], delay)
			if err != nil {
				return err
			}
			defer a.deliver()
			note := fmt.Sprintf("rotated %s: the old key stopped working", key.RotatedFrom)
			if delay > 0 {
				until := st.Now().Add(delay)
				if old, err := st.Get(key.RotatedFrom); err == nil {
					until = old.ExpiresAt // the stored expiry, not a second reading of the clock
				}
				note = fmt.Sprintf("rotated %s: the old key works until %s", key.RotatedFrom, model.FormatTime(until))
			}
			return a.printNewKey(st, key, tok, asJSON, note+"; new key "+key.ID)
		},
	}
	c.Flags().StringVar(&in, "in", "now", "how long the old key stays usable: now, 1h, 24h, 48h, 7d or a duration up to 30d")
	c.Flags().StringVar(&untilIdle, "until-idle", "", "the old key retires once /auth has not seen it for this long (at least 1m)")
	c.Flags().StringVar(&maxLife, "max", "7d", "with --until-idle: the old key retires at the latest this long from now (at most 30d)")
	c.RegisterFlagCompletionFunc("in", fixedValues("now", "1h", "24h", "48h", "7d"))
	c.Flags().BoolVar(&asJSON, "json", false, "print the new key as JSON, token included (with --all: one compact object per line)")
	c.Flags().BoolVar(&all, "all", false, "rotate every active key (leak response); expiring keys are skipped")
	c.Flags().BoolVar(&yes, "yes", false, "with --all: do not ask for confirmation")
	return c
}

// printNewKey prints a new token: alone on stdout (so $(keyrack keys create)
// captures it) with a note on stderr, or as JSON with the token added.
func (a *app) printNewKey(st *storage.Store, key model.Key, tok model.Token, asJSON bool, note string) error {
	if asJSON {
		j := toJSON(key, st.Now())
		j.Token = tok.Reveal()
		return writeJSON(a.env.Stdout, j)
	}
	fmt.Fprintln(a.env.Stderr, note)
	_, err := fmt.Fprintln(a.env.Stdout, tok.Reveal())
	return err
}
