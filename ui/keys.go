package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyMap holds every binding of the dashboard, so that the help view and
// the help bar describe exactly what Update matches.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	New, Reveal, Copy, Rotate, Expire, Permissions, Rename, Delete key.Binding
	Members, Outbox, Audit, Filter, Help, Quit, ForceQuit          key.Binding

	// Dialogs.
	Enter, Back, Left, Right, Toggle, Yes, No key.Binding
	ToggleRead, ToggleWrite, All, None        key.Binding

	// Members and mail views.
	AddMember, AddSSHKey, RemoveMember, ReadMail, RetryMail key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f"),
		Home:     b("home/g", "first", "home", "g"),
		End:      b("end/G", "last", "end", "G"),

		New:         b("n", "new", "n"),
		Reveal:      b("v", "reveal", "v"),
		Copy:        b("c/y", "copy", "c", "y"),
		Rotate:      b("r", "rotate", "r"),
		Expire:      b("x", "expire now", "x"),
		Permissions: b("p", "permissions", "p"),
		Rename:      b("e", "rename", "e"),
		Delete:      b("d", "delete", "d"),
		Members:     b("m", "members", "m"),
		Outbox:      b("o", "mail outbox", "o"),
		Audit:       b("a", "audit log", "a"),
		Filter:      b("/", "filter", "/"),
		Help:        b("?", "help", "?"),
		Quit:        b("q", "quit", "q"),
		ForceQuit:   b("ctrl+c", "quit", "ctrl+c"),

		Enter:       b("enter", "confirm", "enter"),
		Back:        b("esc", "back", "esc"),
		Left:        b("←/h", "left", "left", "h", "shift+tab"),
		Right:       b("→/l", "right", "right", "l", "tab"),
		Toggle:      b("space", "toggle", " "),
		Yes:         b("y", "yes", "y"),
		No:          b("n", "no", "n"),
		ToggleRead:  b("R", "toggle Read column", "R"),
		ToggleWrite: b("W", "toggle Write column", "W"),
		All:         b("a", "all", "a"),
		None:        b("0", "none", "0"),

		AddMember:    b("a", "add member", "a"),
		AddSSHKey:    b("k", "add SSH key", "k"),
		RemoveMember: b("d", "remove", "d"),
		ReadMail:     b("enter", "read mail", "enter"),
		RetryMail:    b("R", "retry now", "R"),
	}
}

// mainBindings are the help-bar entries of the key table, most useful first;
// the bar shows as many as fit.
func (k keyMap) mainBindings() []key.Binding {
	return []key.Binding{k.New, k.Reveal, k.Copy, k.Rotate, k.Permissions,
		k.Rename, k.Delete, k.Expire, k.Filter, k.Audit, k.Members, k.Outbox}
}

// helpSections group every binding for the full help view.
func (k keyMap) helpSections() []helpSection {
	return []helpSection{
		{"Move", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}},
		{"Keys", []key.Binding{k.New, k.Reveal, k.Copy, k.Rotate, k.Expire, k.Permissions, k.Rename, k.Delete}},
		{"Views", []key.Binding{k.Filter, k.Audit, k.Members, k.Outbox, k.Help, k.Back, k.Quit, k.ForceQuit}},
		{"Permission matrix", []key.Binding{k.Left, k.Right, k.Toggle, k.ToggleRead, k.ToggleWrite, k.All, k.None, k.Enter}},
		{"Members (m)", []key.Binding{k.AddMember, k.AddSSHKey, k.RemoveMember, k.Back}},
		{"Mail outbox (o)", []key.Binding{k.ReadMail, k.RetryMail, k.Back}},
	}
}

// choose moves the choice of a picker of n choices (rotation delays,
// roles): up and down wrap around, home and end jump, a digit picks.
func (k keyMap) choose(msg tea.KeyMsg, choice, n int) int {
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
