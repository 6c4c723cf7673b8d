package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestRenderNamesAnUnnamedKeyAndNeutralisesControlCharacters(t *testing.T) {
	n := model.Notification{
		ID: "0000000000000001.abc", Kind: model.NotifyDeleted, Organization: "Acme\x1b[2J",
		KeyID: "abc123", KeyMasked: model.Mask("WXYZ"), Actor: "ssh ada@example.com\r\nBcc: x@evil.test",
		At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)),
	}
	m := Render(n)
	if m.Subject != "An API key has been deleted" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, part := range []string{m.Text, m.HTML} {
		if strings.ContainsAny(part, "\x1b\r") || strings.Contains(part, "\nBcc:") {
			t.Errorf("control characters reached the mail:\n%q", part)
		}
		for _, want := range []string{"(unnamed)", "kr_••••••••WXYZ", "Fri, 2 Jan 2026 02:04:05 UTC"} {
			if !strings.Contains(part, want) {
				t.Errorf("part does not say %q:\n%s", want, part)
			}
		}
	}
}

func TestEveryKindHasItsSubject(t *testing.T) {
	for kind, want := range map[model.NotificationKind]string{
		model.NotifyCreated: "A new API key has been created", model.NotifyRotated: "Your API key has been rotated",
		model.NotifyRotationScheduled: "API key rotation scheduled", model.NotifyExpired: "An API key has expired",
		model.NotifyDeleted: "An API key has been deleted",
	} {
		if got := Render(model.Notification{Kind: kind}).Subject; got != want {
			t.Errorf("%s: subject %q, want %q", kind, got, want)
		}
	}
}
