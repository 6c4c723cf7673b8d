package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyBindings holds every key binding of the dashboard, so that the help
// overlay and the help bar describe exactly what Update matches. Update
// matches these, always enabled; the bars show copies enabled for the
// context (bindings below), so that a keypress that does not apply still
// gets an answer saying why.
type keyBindings struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	New, Reveal, Copy, Rotate, Expire, Permissions, Rename, Delete key.Binding
	Disable, Lifecycle, Sort, Usage                                key.Binding
	Members, Outbox, Audit, Filter, Help, Quit, ForceQuit          key.Binding

	// Dialogs.
	Enter, Back, Switch, Toggle, Yes, No key.Binding
	ToggleRead, ToggleWrite, All, None   key.Binding
	KeepUsed                             key.Binding

	// Members and mail views.
	AddMember, AddSSHKey, RemoveSSHKey, ChangeRole, RemoveMember, ReadMail, RetryMail key.Binding
}

func newKeyBindings() keyBindings {
	b := func(help, desc string, presses ...string) key.Binding {
		return key.NewBinding(key.WithKeys(presses...), key.WithHelp(help, desc))
	}
	return keyBindings{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f"),
		Home:     b("home/g", "first", "home", "g"),
		End:      b("end/G", "last", "end", "G"),

		New:         b("n", "new", "n"),
		Reveal:      b("v", "reveal", "v"),
		Copy:        b("c", "copy", "c", "y"),
		Rotate:      b("r", "rotate", "r"),
		Expire:      b("x", "expire now", "x"),
		Permissions: b("p", "permissions", "p"),
		Rename:      b("e", "rename", "e"),
		Delete:      b("d", "delete", "d"),
		Disable:     b("D", "disable/enable", "D"),
		Lifecycle:   b("f", "filter by state", "f"),
		Sort:        b("s", "sort", "s"),
		Usage:       b("u", "usage", "u"),
		Members:     b("m", "members", "m"),
		Outbox:      b("o", "mail", "o"),
		Audit:       b("a", "audit", "a"),
		Filter:      b("/", "filter", "/"),
		Help:        b("?", "help", "?"),
		Quit:        b("q", "quit", "q"),
		ForceQuit:   b("ctrl+c", "quit now", "ctrl+c"),

		Enter:       b("enter", "confirm", "enter"),
		Back:        b("esc", "back", "esc"),
		Switch:      b("←/→", "switch", "left", "right", "h", "l", "tab", "shift+tab"),
		Toggle:      b("space", "toggle", " "),
		Yes:         b("y", "yes", "y"),
		No:          b("n", "no", "n"),
		ToggleRead:  b("R", "all Read", "R"),
		ToggleWrite: b("W", "all Write", "W"),
		All:         b("a", "all", "a"),
		None:        b("0", "none", "0"),
		KeepUsed:    b("u", "keep only used", "u"),

		AddMember:    b("a", "add member", "a"),
		AddSSHKey:    b("k", "add SSH key", "k"),
		RemoveSSHKey: b("x", "remove SSH key", "x"),
		ChangeRole:   b("r", "change role", "r"),
		RemoveMember: b("d", "remove member", "d"),
		ReadMail:     b("enter", "read", "enter"),
		RetryMail:    b("R", "retry now", "R"),
	}
}

// withHelp is b with another help text, for a dialog where the same
// keypress means something more precise ("enter rotate").
func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// enabled is b, shown in a bar only when on holds.
func enabled(b key.Binding, on bool) key.Binding {
	b.SetEnabled(on)
	return b
}

// choose moves the choice of a picker of n choices (rotation delays,
// roles): up and down wrap around, home and end jump, a digit picks.
func (k keyBindings) choose(msg tea.KeyMsg, choice, n int) int {
	switch {
	case key.Matches(msg, k.Up):
		return (choice + n - 1) % n
	case key.Matches(msg, k.Down):
		return (choice + 1) % n
	case key.Matches(msg, k.Home):
		return 0
	case key.Matches(msg, k.End):
		return n - 1
	case len(msg.Runes) == 1 && msg.Runes[0] >= '1' && int(msg.Runes[0]-'1') < n:
		return int(msg.Runes[0] - '1')
	}
	return choice
}
