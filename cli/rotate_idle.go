package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// rotateUntilIdle is `keys rotate ID --until-idle DURATION [--max DURATION]`.
func (a *app) rotateUntilIdle(cmd *cobra.Command, id, idleFlag, maxFlag string, asJSON bool) error {
	switch {
	case cmd.Flags().Changed("in"):
		return usagef("--in and --until-idle do not go together: the old key ends at a fixed time or once it goes quiet")
	case !cmd.Flags().Changed("until-idle"):
		return usagef("--max goes with --until-idle")
	}
	idle, err := model.ParseSpan("--until-idle", idleFlag, storage.MinIdle, model.MaxRotationDelay)
	if err != nil {
		return usageError{err.Error()}
	}
	max, err := model.ParseSpan("--max", maxFlag, storage.MinIdle, model.MaxRotationDelay)
	if err != nil {
		return usageError{err.Error()}
	}
	if idle > max {
		return usagef("--until-idle %s is longer than --max %s", model.FormatSpan(idle), model.FormatSpan(max))
	}
	st, err := a.store(false)
	if err != nil {
		return err
	}
	key, tok, err := st.RotateUntilIdle(a.env.Actor, id, idle, max)
	if err != nil {
		return err
	}
	defer a.deliver()
	until := st.Now().Add(max)
	if old, err := st.Get(key.RotatedFrom); err == nil {
		until = old.ExpiresAt
	}
	note := fmt.Sprintf("rotated %s: the old key retires once /auth has not seen it for %s, at the latest at %s; new key %s",
		key.RotatedFrom, model.FormatSpan(idle), model.FormatTime(until), key.ID)
	return a.printNewKey(st, key, tok, asJSON, note)
}
