package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// Messages that commands send back to Update. Each carries the time it was
// read in the command, so that Update never reads the clock itself.
type (
	// changedMsg says that storage committed something, and what.
	changedMsg struct{ events []storage.Event }
	// keysLoadedMsg carries the keys and the count of undelivered mails,
	// read together so that the header never needs a load of its own.
	keysLoadedMsg struct {
		keys    KeyList
		waiting int
		at      time.Time
		err     error
	}
	// failedMsg shows an error that needed no storage call (nothing
	// selected, a key without SSH keys).
	failedMsg struct{ err error }
	tickMsg   struct {
		gen int
		at  time.Time
	}
	revealedMsg struct {
		id, name string
		token    model.Token
		at       time.Time
		err      error
	}
	hideMsg struct {
		gen int
		at  time.Time
	}
	// actionMsg reports a change made through storage; a non-zero token is
	// shown revealed on the key selectID (create and rotate).
	actionMsg struct {
		text     string
		selectID string
		token    model.Token
		at       time.Time
		err      error
	}
)

// tickAt sends tickMsg when the clock reaches deadline (at once if it has).
func (e *env) tickAt(deadline time.Time, gen int) tea.Cmd {
	return e.at(deadline, func(t time.Time) tea.Msg { return tickMsg{gen, t} })
}

// at waits on the injected clock, so that tests drive timers with a fake
// one, and gives up when the program ends.
func (e *env) at(deadline time.Time, msg func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ch, stop := e.clock.After(deadline.Sub(e.clock.Now()))
		defer stop()
		select {
		case t := <-ch:
			return msg(t)
		case <-e.done:
			return nil
		}
	}
}

func (e *env) loadKeys() tea.Cmd {
	return func() tea.Msg {
		keys, err := e.store.Keys()
		return keysLoadedMsg{keys, e.store.PendingMail(), e.clock.Now(), err}
	}
}

func (e *env) reveal(k model.Key) tea.Cmd {
	return func() tea.Msg {
		tok, err := e.store.Reveal(e.actor, k.ID)
		return revealedMsg{k.ID, k.DisplayName(), tok, e.clock.Now(), err}
	}
}

// act runs one storage operation and reports it with text on success.
func (e *env) act(text string, op func() error) tea.Cmd {
	return func() tea.Msg {
		err := op()
		return actionMsg{text: text, at: e.clock.Now(), err: err}
	}
}

// failCmd shows err in the status line.
func failCmd(err error) tea.Cmd { return func() tea.Msg { return failedMsg{err} } }

func (e *env) create(name string, perms model.Permissions, lifetime time.Duration) tea.Cmd {
	return func() tea.Msg {
		k, tok, err := e.store.CreateKey(e.actor, storage.CreateOptions{Name: name, Permissions: perms, Lifetime: lifetime})
		text := fmt.Sprintf("created %s: copy the token now (c)", k.DisplayName())
		return actionMsg{text, k.ID, tok, e.clock.Now(), err}
	}
}

func (e *env) rotate(old model.Key, c model.RotationChoice) tea.Cmd {
	return func() tea.Msg {
		rotate := func() (model.Key, model.Token, error) { return e.store.Rotate(e.actor, old.ID, c.Delay) }
		if c.UntilIdle > 0 {
			rotate = func() (model.Key, model.Token, error) {
				return e.store.RotateUntilIdle(e.actor, old.ID, c.UntilIdle, c.Delay)
			}
		}
		k, tok, err := rotate()
		now := e.clock.Now()
		text := fmt.Sprintf("rotated %s · the old key stopped working", old.DisplayName())
		switch {
		case c.UntilIdle > 0:
			text = fmt.Sprintf("rotated %s · old key retires after %s without traffic", old.DisplayName(), model.FormatSpan(c.UntilIdle))
		case c.Delay > 0:
			text = fmt.Sprintf("rotated %s · old key until %s", old.DisplayName(), stamp(now.Add(c.Delay), now))
		}
		return actionMsg{text, k.ID, tok, now, err}
	}
}

func (e *env) expire(k model.Key) tea.Cmd {
	return e.act("expired "+k.DisplayName()+": it no longer works", func() error { return e.store.Expire(e.actor, k.ID) })
}

func (e *env) rename(k model.Key, name string) tea.Cmd {
	return e.act(fmt.Sprintf("renamed %s to %s", k.DisplayName(), model.Key{Name: name}.DisplayName()), func() error {
		_, err := e.store.Rename(e.actor, k.ID, name)
		return err
	})
}

func (e *env) setPermissions(k model.Key, p model.Permissions) tea.Cmd {
	return e.act(fmt.Sprintf("saved permissions of %s: %s", k.DisplayName(), permissionsText(p)), func() error {
		_, err := e.store.SetPermissions(e.actor, k.ID, p)
		return err
	})
}

func (e *env) delete(k model.Key) tea.Cmd {
	return e.act("deleted "+k.DisplayName(), func() error { return e.store.Delete(e.actor, k.ID) })
}
