package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// promptPane asks for one line of text: a key name (new key, rename), a
// member's email or an SSH public key. A value that validate refuses keeps
// the prompt open, with the reason under the field.
type promptPane struct {
	env          *env
	title, hint  string
	field        textField
	validate     func(string) (string, error)
	submit       func(value string) (pane, tea.Cmd)
	submitAction string
	key          model.Key // the API key renamed; zero for the other prompts
}

func (p *promptPane) subject() model.Key { return p.key }

// checkName refuses, as each key arrives, what model.ValidateName would
// refuse at the end: the 65th character, control characters, escape
// sequences and bidi controls.
func checkName(s string) error {
	_, err := model.ValidateName(s)
	return err
}

func newNamePrompt(e *env) *promptPane {
	return &promptPane{env: e, title: "New API key", field: newTextField(e.st, "› ", "", 0, checkName),
		validate: model.ValidateName, hint: "Name (optional, recommended): what or who uses the key.", submitAction: "next: expiry",
		submit: func(name string) (pane, tea.Cmd) { return newExpiryPrompt(e, name), nil }}
}

func newRenamePrompt(e *env, k model.Key) *promptPane {
	return &promptPane{env: e, key: k, title: "Rename " + k.DisplayName(), field: newTextField(e.st, "› ", model.Printable(k.Name), 0, checkName),
		validate: model.ValidateName, hint: "New name (empty for none):", submitAction: "rename",
		submit: func(name string) (pane, tea.Cmd) { return nil, e.rename(k, name) }}
}

func (p *promptPane) update(msg tea.Msg) (pane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.field.setWidth(dialogInner(msg.Width))
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, p.env.bindings.Back):
			return nil, nil
		case key.Matches(msg, p.env.bindings.Enter):
			value, err := p.validate(p.field.Value())
			if err != nil {
				p.field.refused = err
				return p, nil
			}
			return p.submit(value)
		}
		p.field.update(msg)
	}
	return p, nil
}

// typing is always true: every key is text or editing.
func (p *promptPane) typing() bool { return true }

func (p *promptPane) view(width, height int, _ time.Time) string {
	st := p.env.st
	body := []string{st.boxTitle.Render(model.Printable(p.title)), "", p.hint, "", p.field.View()}
	if p.field.refused != nil {
		body = append(body, st.err.Render("✗ "+model.Printable(p.field.refused.Error())))
	}
	return dialog(st, strings.Join(body, "\n"), width, height)
}

func (p *promptPane) help() []key.Binding {
	return []key.Binding{withHelp(p.env.bindings.Enter, "enter", p.submitAction), withHelp(p.env.bindings.Back, "esc", "cancel")}
}
