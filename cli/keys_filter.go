package cli

import (
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// listFilter is keys list's --status, --idle and --never-used.
type listFilter struct {
	status    string
	idle      string
	neverUsed bool
}

func (f *listFilter) flags(c *cobra.Command) {
	c.Flags().StringVar(&f.status, "status", "", "only keys with this status: active, expiring or disabled")
	c.Flags().StringVar(&f.idle, "idle", "", "only keys not used for this long (such as 30d; never-used keys count from their creation)")
	c.Flags().BoolVar(&f.neverUsed, "never-used", false, "only keys never used")
	c.RegisterFlagCompletionFunc("status", fixedValues("active", "expiring", "disabled"))
}

// keep returns the filter's test for a key at now, checking the flags.
func (f *listFilter) keep(now time.Time) (func(model.Key) bool, error) {
	switch model.Status(f.status) {
	case "", model.StatusActive, model.StatusExpiring, model.StatusDisabled:
	default:
		return nil, usagef("--status %q: want active, expiring or disabled", model.Printable(f.status))
	}
	var idle time.Duration
	if f.idle != "" {
		d, err := model.ParseSpan("--idle", f.idle, time.Minute, model.MaxLifetime)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		idle = d
	}
	return func(k model.Key) bool {
		if k.PastExpiry(now) || f.status != "" && k.Status(now) != model.Status(f.status) || f.neverUsed && !k.LastUsedAt.IsZero() {
			return false
		}
		return idle == 0 || !quietSince(k).After(now.Add(-idle))
	}, nil
}

// quietSince is when a key was last used, or created if never.
func quietSince(k model.Key) time.Time {
	if k.LastUsedAt.IsZero() {
		return k.CreatedAt
	}
	return k.LastUsedAt
}
