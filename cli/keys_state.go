package cli

import (
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
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
	return a.keyChangeCommand(keyChange{
		use: use + " ID", short: short, args: []string{"ID"},
		change: func(st *storage.Store, id string) (string, bool, error) {
			before, err := st.Get(id)
			if err != nil {
				return "", false, err
			}
			change := st.Enable
			if off {
				change = st.Disable
			}
			k, err := change(a.env.Actor, before.ID)
			if before.Disabled == off {
				return "key " + k.ID + " is already " + done, false, err
			}
			return "key " + k.ID + " " + done, true, err
		},
	})
}

func (a *app) keysExpiresCommand() *cobra.Command {
	var lifetime time.Duration
	return a.keyChangeCommand(keyChange{
		use: "expires ID DURATION|never", short: "make a key expire after DURATION from now (such as 90d), or never",
		args: []string{"ID", "DURATION"},
		parse: func(args []string) (err error) {
			lifetime, err = parseLifetime("keys expires", args[1], true)
			return err
		},
		change: func(st *storage.Store, id string) (string, bool, error) {
			k, err := st.SetExpiry(a.env.Actor, id, lifetime)
			if k.ExpiresAt.IsZero() {
				return "key " + k.ID + " never expires", true, err
			}
			return "key " + k.ID + " expires at " + model.FormatTime(k.ExpiresAt), true, err
		},
		completeArg: fixedValues("90d", "366d", "never"),
	})
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
