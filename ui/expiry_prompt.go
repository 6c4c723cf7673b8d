package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
)

// newExpiryPrompt is the new key's second step: how long it lives (empty:
// never, or the lifetime policy's bound), then its permissions.
func newExpiryPrompt(e *env, name string) *promptPane {
	var lifetime time.Duration
	return &promptPane{env: e, title: "New API key " + model.Key{Name: name}.DisplayName(),
		field:    newTextField(e.st, "› ", "", 0, func(string) error { return nil }),
		validate: func(s string) (string, error) { d, err := parseExpiry(s); lifetime = d; return s, err },
		hint:     "Expires after (such as 90d; empty: never, or the lifetime policy's bound):", submitAction: "next: permissions",
		submit: func(string) (pane, tea.Cmd) {
			title := "Permissions of the new key " + model.Key{Name: name}.DisplayName()
			return newMatrix(e, title, model.AllPermissions(), "create",
				func(p model.Permissions) tea.Cmd { return e.create(name, p, lifetime) }), nil
		}}
}

// parseExpiry reads the expiry step: empty for none, else a lifetime.
func parseExpiry(s string) (time.Duration, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return model.ParseSpan("expiry", s, model.MinLifetime, model.MaxLifetime)
}
