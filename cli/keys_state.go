package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) keysDisableCommand() *cobra.Command { return a.keysSwitchCommand(true) }

func (a *app) keysEnableCommand() *cobra.Command { return a.keysSwitchCommand(false) }

// keysSwitchCommand is `keys disable ID` or `keys enable ID`.
func (a *app) keysSwitchCommand(off bool) *cobra.Command {
	use, short, done := "enable", "let a disabled key work again", "enabled"
	if off {
		use, short, done = "disable", "stop a key from working at once, keeping it (enable undoes it)", "disabled"
	}
	return &cobra.Command{
		Use:               use + " ID",
		Short:             short,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeKeyID,
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			before, err := st.Get(args[0])
			if err != nil {
				return err
			}
			change := st.Enable
			if off {
				change = st.Disable
			}
			k, err := change(a.env.Actor, before.ID)
			if err != nil {
				return err
			}
			if before.Disabled == off {
				_, err = fmt.Fprintf(a.env.Stdout, "key %s is already %s\n", k.ID, done)
				return err
			}
			defer a.deliver()
			_, err = fmt.Fprintf(a.env.Stdout, "key %s %s\n", k.ID, done)
			return err
		},
	}
}

func (a *app) keysExpiresCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "expires ID DURATION|never",
		Short:             "make a key expire after DURATION from now (such as 90d), or never",
		Args:              exactArgs("ID", "DURATION"),
		ValidArgsFunction: a.completeKeyID,
		RunE: func(_ *cobra.Command, args []string) error {
			lifetime, err := parseLifetime("DURATION", args[1], true)
			if err != nil {
				return err
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			k, err := st.SetExpiry(a.env.Actor, args[0], lifetime)
			if err != nil {
				return err
			}
			defer a.deliver()
			if k.ExpiresAt.IsZero() {
				_, err = fmt.Fprintf(a.env.Stdout, "key %s never expires\n", k.ID)
				return err
			}
			_, err = fmt.Fprintf(a.env.Stdout, "key %s expires at %s\n", k.ID, model.FormatTime(k.ExpiresAt))
			return err
		},
	}
}

// parseLifetime reads a key's lifetime: a duration from 1m to 3650d, or
// "never" (0) where allowed. A bad value is a usage error naming what.
func parseLifetime(what, s string, neverOK bool) (time.Duration, error) {
	if neverOK && strings.TrimSpace(s) == "never" {
		return 0, nil
	}
	d, err := model.ParseSpan(what, s, model.MinLifetime, model.MaxLifetime)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	return d, nil
}
