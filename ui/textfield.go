package ui

import (
	"errors"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// textField is a one-line bubbles/textinput whose typed or pasted text is
// checked before it goes in: input that check refuses is not changed
// silently (textinput drops control characters and cuts at its limit) but
// left out, with the reason shown under the field until the next key.
type textField struct {
	textinput.Model
	check   func(string) error // nil: textinput's own cleaning only
	refused error
}

// errEscape is the reason for an alt+key: the tail of an escape sequence
// that the terminal split into keys, never text.
var errEscape = errors.New("escape sequences are not allowed")

// newTextField builds a focused field showing value, styled by st (the
// session's renderer, not the global one), with a static cursor: a
// blinking one would keep a timer running.
func newTextField(st styles, prompt, value string, limit int, check func(string) error) textField {
	in := textinput.New()
	in.Prompt = prompt
	in.PromptStyle, in.TextStyle = st.key, st.r.NewStyle()
	in.PlaceholderStyle, in.CompletionStyle = st.dim, st.dim
	in.Cursor.Style, in.Cursor.TextStyle = st.r.NewStyle(), st.r.NewStyle()
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = limit
	in.KeyMap.Paste.SetEnabled(false) // ctrl+v would read the server's clipboard over SSH
	in.SetValue(value)
	in.Focus()
	return textField{Model: in, check: check}
}

// update applies a key. Text that check refuses stays out.
func (f *textField) update(msg tea.KeyMsg) {
	f.refused = nil
	if f.check != nil && (msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace) {
		if msg.Alt && !msg.Paste {
			f.refused = errEscape
			return
		}
		v, pos := []rune(f.Value()), f.Position()
		candidate := string(v[:pos]) + string(msg.Runes) + string(v[pos:])
		if err := f.check(candidate); err != nil {
			f.refused = err
			return
		}
	}
	f.Model, _ = f.Model.Update(msg) // static cursor: no command
}

// setWidth gives the field width cells, prompt included.
func (f *textField) setWidth(width int) {
	f.Width = max(1, width-len([]rune(f.Prompt))-1)
}
