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
	m := Render(n)
	if !strings.Contains(flat(m.Text), "retired after 15m without traffic") {
		t.Errorf("text:\n%s", m.Text)
	}
	if want := `[Acme] API key "ci": old key retired after 15m without traffic`; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
}

// An until-idle rotation's mail says the old key goes once quiet, at most
// at --max, never that it simply works until --max.
func TestUntilIdleRotationSaysTheOldKeyGoesWhenQuiet(t *testing.T) {
	n := model.Notification{Kind: model.NotifyRotationScheduled, Organization: "Acme", KeyID: "abcdef123456", KeyName: "ci",
		KeyMasked: "kr_••••••••WXYZ", NewKeyMasked: "kr_••••••••ABCD", Idle: 15 * time.Minute,
		ExpiresAt: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	m := Render(n)
	quiet := "goes after 15m without traffic, at the latest Thu, 3 Dec 2026 12:00:00 UTC"
	if want := `[Acme] API key "ci" rotated; the old key ` + quiet; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	text := flat(m.Text)
	if !strings.Contains(text, "keeps working while it is in use and "+quiet) || strings.Contains(text, "works until") {
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

func TestPermissionChangeNamesBeforeAndNow(t *testing.T) {
	n := model.Notification{Kind: model.NotifyPermissions, Organization: "Acme", KeyID: "abcdef123456", KeyName: "ci",
		KeyMasked: "kr_••••••••WXYZ", PermissionsBefore: "all", PermissionsAfter: "customer=read"}
	m := Render(n)
	text := flat(m.Text)
	for _, want := range []string{"permissions of the API key “ci” (kr_••••••••WXYZ) of Acme have changed", "all", "customer=read"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	if want := `[Acme] API key "ci" permissions changed`; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
}
