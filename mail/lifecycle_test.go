package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestReminderNamesKeyExpiryLastUseAndTheCommand(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	n := model.Notification{Kind: model.NotifyReminder, Organization: "Acme", KeyID: "abcdef123456", KeyName: "ci",
		KeyMasked: "kr_••••••••WXYZ", At: at, ExpiresAt: at.Add(model.Day), LastUsedAt: at.Add(-time.Hour),
		Command: "ssh -p 23234 keys.example.com"}
	m := Render(n)
	for _, want := range []string{"“ci” (kr_••••••••WXYZ)", "Wed, 2 Dec 2026 12:00:00 UTC", "(in 1d)", "Tue, 1 Dec 2026 11:00:00 UTC",
		"ssh -p 23234 keys.example.com keys rotate abcdef123456 --in 24h"} {
		if !strings.Contains(flat(m.Text), want) {
			t.Errorf("reminder text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.Subject, "expires soon") {
		t.Errorf("subject %q", m.Subject)
	}
}

func TestIdleRetirementSaysHowLongItWasQuiet(t *testing.T) {
	n := model.Notification{Kind: model.NotifyRetiredIdle, Organization: "Acme", KeyID: "abcdef123456", KeyName: "ci",
		KeyMasked: "kr_••••••••WXYZ", Idle: 15 * time.Minute}
	if m := Render(n); !strings.Contains(flat(m.Text), "retired after 15m without traffic") {
		t.Errorf("text:\n%s", m.Text)
	}
}

func TestBulkReminderListsEachKeysExpiry(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	n := model.Notification{Kind: model.NotifyReminder, Organization: "Acme", At: at, Count: 2, Keys: []model.NotifiedKey{
		{ID: "aaaaaaaaaaaa", Name: "a", Masked: "kr_••••••••AAAA", ExpiresAt: at.Add(time.Hour)},
		{ID: "bbbbbbbbbbbb", Name: "b", Masked: "kr_••••••••BBBB", ExpiresAt: at.Add(2 * time.Hour)}}}
	m := Render(n)
	for _, want := range []string{"2 API keys expire soon", "id aaaaaaaaaaaa, expires Tue, 1 Dec 2026 13:00:00 UTC, last used never", "keyrack keys rotate ID --in 24h"} {
		if !strings.Contains(flat(m.Subject+" "+m.Text), want) {
			t.Errorf("lacks %q:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
}

// flat joins wrapped lines, so that a phrase is found wherever it wraps.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
