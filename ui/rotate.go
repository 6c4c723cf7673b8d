package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// rotatePicker offers Lago's rotation delays for one key, with the time
// each leaves the old key usable until.
type rotatePicker struct {
	env    *env
	key    model.Key
	choice int
}

func newRotatePicker(e *env, k model.Key) *rotatePicker { return &rotatePicker{env: e, key: k} }

func (r *rotatePicker) update(msg tea.Msg) (pane, tea.Cmd) {
	switch r.env.keys.pick(msg, &r.choice, len(model.RotationChoices)) {
	case pickCancel:
		return nil, nil
	case pickTake:
		return nil, r.env.rotate(r.key, model.RotationChoices[r.choice])
	}
	return r, nil
}

func (r *rotatePicker) view(width, height int, now time.Time) string {
	st := r.env.st
	text := []string{
		st.boxTitle.Render(fmt.Sprintf("Rotate %s (%s)", r.key.DisplayName(), model.Printable(r.key.ID))),
		"Last used: " + lastUse(r.key, now),
		"",
		st.columns.Render(fmt.Sprintf("  %-13s %s", "ROTATE", "THE OLD KEY KEEPS WORKING")),
	}
	for i, c := range model.RotationChoices {
		effect := "no: it stops at once"
		if c.Delay > 0 {
			effect = "until " + stamp(now.Add(c.Delay), now)
		}
		text = append(text, pickerRow(st, i == r.choice, c.Label, 13, effect))
	}
	text = append(text, "", "New key: works at once, same name and permissions.")
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (r *rotatePicker) help() []key.Binding {
	return r.env.keys.pickerHelp("rotate")
}
