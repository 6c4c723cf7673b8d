package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// sparkWindow is the span of the details panel's sparkline.
const sparkWindow = 24 * time.Hour

// keyUsage is what the details panel knows of the selected key's traffic:
// its last 24 h as stored (serve writes /auth's counts every
// --last-used-flush; each write is a commit, and the key list loaded after
// it makes this stale), and
// when it was last seen with its idle deadline, read from the store's
// memory every second for an until-idle rotation's old key.
type keyUsage struct {
	id      string
	hour    time.Time // the hour the window ended in when it was read
	usage   model.Usage
	err     error
	loading bool
	stale   bool // a commit came after the read
	seen    seenMsg
}

type (
	// usageLoadedMsg carries a key's usage since a time.
	usageLoadedMsg struct {
		id    string
		hour  time.Time
		usage model.Usage
		err   error
		seen  seenMsg
	}
	// seenMsg is when key id was last seen, and when it retires if it
	// stays quiet (ok false: not an until-idle rotation's old key).
	seenMsg struct {
		id           string
		lastSeen, at time.Time
		ok           bool
	}
)

// loadUsage reads a key's usage in the window ending in hour, and its
// last sighting.
func (e *env) loadUsage(k model.Key, hour time.Time) tea.Cmd {
	return func() tea.Msg {
		_, u, err := e.store.Usage(k.ID, hour.Add(time.Hour-sparkWindow))
		return usageLoadedMsg{k.ID, hour, u, err, e.seen(k)}
	}
}

// lastSeen reads when k was last seen, from the store's memory.
func (e *env) lastSeen(k model.Key) tea.Cmd {
	return func() tea.Msg { return e.seen(k) }
}

func (e *env) seen(k model.Key) seenMsg {
	at, ok := e.store.IdleDeadline(k)
	return seenMsg{k.ID, e.store.LastSeenAt(k), at, ok}
}

// syncUsage reads the selected key's usage when the selection, the hour
// or the stored counts changed; one read at a time, the next once it is
// back, so that holding ↓ over many keys costs one read per answer.
func (m *Model) syncUsage() tea.Cmd {
	sel, ok := m.table.selected()
	hour := m.now.Truncate(time.Hour)
	u := &m.usage
	if !ok || u.loading || (u.id == sel.ID && u.hour.Equal(hour) && !u.stale) {
		return nil
	}
	if u.id != sel.ID {
		*u = keyUsage{id: sel.ID}
	}
	u.loading, u.stale = true, false
	return m.env.loadUsage(sel, hour)
}

// usageLoaded keeps what was read: the selection may have moved since,
// and then the next read follows.
func (m *Model) usageLoaded(msg usageLoadedMsg) {
	u := &m.usage
	u.loading = false
	if msg.id != u.id {
		return
	}
	u.hour, u.usage, u.err, u.seen = msg.hour, msg.usage, msg.err, msg.seen
}

// seenLoaded keeps a last sighting of the selected key.
func (m *Model) seenLoaded(msg seenMsg) {
	if msg.id == m.usage.id {
		m.usage.seen = msg
	}
}

// refreshSeen reads the last sighting of the selected key again if it is
// an until-idle rotation's old key: /auth's uses reach memory before the
// database, and the panel counts down from them.
func (m *Model) refreshSeen() tea.Cmd {
	sel, ok := m.table.selected()
	if !ok || sel.IdleRetire == 0 || sel.ID != m.usage.id {
		return nil
	}
	return m.env.lastSeen(sel)
}
