package ui

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// lineInput is a one-line editor that accepts printable characters only:
// an escape sequence typed or pasted loses its control characters on the
// way in, so it can never reach storage or another admin's terminal.
type lineInput struct {
	runes []rune
	pos   int
	limit int // in characters; 0 for none
}

func newLineInput(value string, limit int) *lineInput {
	r := []rune(model.Printable(value))
	return &lineInput{runes: r, pos: len(r), limit: limit}
}

func (in *lineInput) value() string { return string(in.runes) }

// update applies an editing key and reports whether the text changed.
func (in *lineInput) update(msg tea.KeyMsg) bool {
	before := in.value()
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		if msg.Alt && !msg.Paste {
			return false // alt+x: the tail of an escape sequence, not text
		}
		for _, r := range msg.Runes {
			if unicode.IsPrint(r) && r != utf8.RuneError && (in.limit == 0 || len(in.runes) < in.limit) {
				in.runes = append(in.runes[:in.pos], append([]rune{r}, in.runes[in.pos:]...)...)
				in.pos++
			}
		}
	case tea.KeyBackspace, tea.KeyCtrlH:
		if in.pos > 0 {
			in.runes = append(in.runes[:in.pos-1], in.runes[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete, tea.KeyCtrlD:
		if in.pos < len(in.runes) {
			in.runes = append(in.runes[:in.pos], in.runes[in.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		in.pos = max(0, in.pos-1)
	case tea.KeyRight, tea.KeyCtrlF:
		in.pos = min(len(in.runes), in.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.runes)
	case tea.KeyCtrlU:
		in.runes, in.pos = in.runes[in.pos:], 0
	case tea.KeyCtrlK:
		in.runes = in.runes[:in.pos]
	case tea.KeyCtrlW:
		start := in.pos
		for start > 0 && in.runes[start-1] == ' ' {
			start--
		}
		for start > 0 && in.runes[start-1] != ' ' {
			start--
		}
		in.runes, in.pos = append(in.runes[:start], in.runes[in.pos:]...), start
	}
	return in.value() != before
}

// view shows the text with a cursor, scrolled to keep the cursor in width.
func (in *lineInput) view(st styles, width int) string {
	r, pos := in.runes, in.pos
	if width > 1 && pos >= width {
		r, pos = r[pos-width+1:], width-1
	}
	under := " "
	if pos < len(r) {
		under = string(r[pos])
	}
	cursor := st.inputCursor.Render(under)
	if st.ascii {
		cursor = "_" // no reverse video without colours: show where typing goes
		if under != " " {
			cursor = "|" + under
		}
	}
	var after string
	if pos < len(r) {
		after = string(r[pos+1:])
	}
	return string(r[:pos]) + cursor + after
}

// promptPane asks for one line of text: a key name (new key, rename), a
// member's email or an SSH public key. A value that validate refuses keeps
// the prompt open, with the reason in the status line.
type promptPane struct {
	env          *env
	title, hint  string
	input        *lineInput
	validate     func(string) (string, error)
	submit       func(value string) (pane, tea.Cmd)
	submitAction string
}

func newNamePrompt(e *env) *promptPane {
	return &promptPane{env: e, title: "New API key", input: newLineInput("", model.MaxNameLen), validate: model.ValidateName,
		hint: "Name (optional, recommended): what or who uses the key.", submitAction: "next: permissions",
		submit: func(name string) (pane, tea.Cmd) {
			title := "Permissions of the new key " + model.Key{Name: name}.DisplayName()
			return newMatrix(e, title, model.AllPermissions(), "create",
				func(p model.Permissions) tea.Cmd { return e.create(name, p) }), nil
		}}
}

func newRenamePrompt(e *env, k model.Key) *promptPane {
	return &promptPane{env: e, title: "Rename " + k.DisplayName(), input: newLineInput(k.Name, model.MaxNameLen), validate: model.ValidateName,
		hint: "New name (empty for none):", submitAction: "rename",
		submit: func(name string) (pane, tea.Cmd) { return nil, e.rename(k, name) }}
}

func (p *promptPane) update(msg tea.Msg) (pane, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(k, p.env.keys.Back):
		return nil, nil
	case key.Matches(k, p.env.keys.Enter):
		value, err := p.validate(p.input.value())
		if err != nil {
			return p, failCmd(err)
		}
		return p.submit(value)
	default:
		p.input.update(k)
	}
	return p, nil
}

// typing is always true: every key is text or editing.
func (p *promptPane) typing() bool { return true }

func (p *promptPane) view(width, height int, _ time.Time) string {
	st := p.env.st
	inner := min(width-4, 66)
	body := []string{st.boxTitle.Render(model.Printable(p.title)), "", p.hint, "", "› " + p.input.view(st, inner-3)}
	return dialog(st, strings.Join(body, "\n"), width, height)
}

func (p *promptPane) help() []key.Binding {
	enter := p.env.keys.Enter
	enter.SetHelp("enter", p.submitAction)
	back := p.env.keys.Back
	back.SetHelp("esc", "cancel")
	return []key.Binding{enter, back}
}
