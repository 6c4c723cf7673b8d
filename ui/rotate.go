package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// rotatePicker offers Lago's rotation delays for one key, each with what
// it does to the old key. Immediately asks once more: it cuts off whatever
// still uses the old key.
type rotatePicker struct {
	env    *env
	key    model.Key
	choice int
	now    time.Time // when the picker opened: the confirmation quotes its last use then
}

// rotationChoices are Lago's delays and the dashboard's until-idle choice.
var rotationChoices = append(model.RotationChoices[:len(model.RotationChoices):len(model.RotationChoices)],
	model.RotationChoice{Label: "When quiet", Delay: 7 * model.Day, UntilIdle: 15 * time.Minute})

func newRotatePicker(e *env, k model.Key, now time.Time) *rotatePicker {
	return &rotatePicker{env: e, key: k, choice: 2, now: now} // In 24 hours: the safe default
}

func (r *rotatePicker) update(msg tea.Msg) (pane, tea.Cmd) {
	switch r.env.bindings.pick(msg, &r.choice, len(rotationChoices)) {
	case pickCancel:
		return nil, nil
	case pickTake:
		c := rotationChoices[r.choice]
		if c.Delay == 0 {
			return r.confirmNow(), nil
		}
		return nil, r.env.rotate(r.key, c)
	}
	return r, nil
}

// confirmNow is the second question for Immediately; no goes back to the
// picker.
func (r *rotatePicker) confirmNow() *confirmPane {
	body := []string{
		"The old key stops working now; last used " + ago(r.key.LastUsedAt, r.now) + ".",
		"Applications still using it are refused at once.",
		"The new key works at once, with the same name and permissions.",
	}
	return &confirmPane{env: r.env, key: r.key, title: fmt.Sprintf("Rotate %s (%s) now?", r.key.DisplayName(), model.Printable(r.key.ID)),
		body: body, action: "Rotate now", onYes: r.env.rotate(r.key, model.RotationChoices[0]), back: r}
}

// effect says what a choice does to the old key.
func effect(c model.RotationChoice, now time.Time) string {
	if c.Delay == 0 {
		return "the old key stops now (asks first)"
	}
	if c.UntilIdle > 0 {
		return "when the old key goes quiet for " + model.FormatSpan(c.UntilIdle) + " (at most " + model.FormatSpan(c.Delay) + ")"
	}
	return "both work until " + stamp(now.Add(c.Delay), now)
}

func (r *rotatePicker) view(width, height int, now time.Time) string {
	st := r.env.st
	inner := dialogInner(width)
	text := []string{
		st.boxTitle.Render(fmt.Sprintf("Rotate %s (%s)", r.key.DisplayName(), model.Printable(r.key.ID))),
		"Last used: " + lastUse(r.key, now),
		"",
	}
	for i, c := range rotationChoices {
		text = append(text, clip(pickerRow(st, i == r.choice, c.Label, 12, effect(c, now)), inner))
	}
	text = append(text, "", "The new key works at once, with the same name and permissions.")
	return dialog(st, strings.Join(text, "\n"), width, height)
}

func (r *rotatePicker) subject() model.Key { return r.key }

func (r *rotatePicker) help() []key.Binding {
	return r.env.bindings.pickerHelp("rotate")
}

// quietLine says when an until-idle rotation's old key was last seen and
// when it retires if it stays quiet, as the store knows it: with serve,
// from /auth's uses in memory, not only those written every few seconds.
func quietLine(k model.Key, ku keyUsage, now time.Time) string {
	seen := ku.seen
	if seen.id != k.ID || !seen.ok {
		return "last seen " + ago(k.LastUsedAt, now) + "; …"
	}
	return fmt.Sprintf("last seen %s; retires %s if quiet", ago(seen.lastSeen, now), until(seen.at, now))
}
