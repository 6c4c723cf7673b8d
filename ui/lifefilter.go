package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/keyrack/keyrack/model"
)

// lifeFilter shows the keys in one lifecycle state; f cycles through them.
type lifeFilter int

const (
	lifeAll lifeFilter = iota
	lifeExpiring
	lifeDisabled
	lifeNeverUsed
	lifeIdle
	lifeFilters // how many there are
)

// idleAfter is how long without use makes a key idle for the f filter.
const idleAfter = 30 * model.Day

var lifeNames = [lifeFilters]string{"", "expiring", "disabled", "never used", "idle > 30 d"}

func (f lifeFilter) String() string { return lifeNames[f] }

func (f lifeFilter) next() lifeFilter { return (f + 1) % lifeFilters }

// keep reports whether k is shown under the filter at now.
func (f lifeFilter) keep(k model.Key, now time.Time) bool {
	switch f {
	case lifeExpiring:
		return !k.ExpiresAt.IsZero()
	case lifeDisabled:
		return k.Disabled
	case lifeNeverUsed:
		return k.LastUsedAt.IsZero()
	case lifeIdle:
		since := k.LastUsedAt
		if since.IsZero() {
			since = k.CreatedAt
		}
		return !since.After(now.Add(-idleAfter))
	}
	return true
}

// cycleLife moves the table to the next lifecycle filter, judged at now.
func (t *keyTable) cycleLife(now time.Time) tea.Cmd {
	q := t.wanted()
	q.life, q.lifeAt = q.life.next(), now
	return t.show(q)
}
