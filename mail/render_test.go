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
	if m.Subject != "[Acme\uFFFD[2J] API key kr_••••••••WXYZ deleted" {
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

func TestSubjectNamesTheOrganizationTheKeyAndWhatHappened(t *testing.T) {
	expires := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for kind, want := range map[model.NotificationKind]string{
		model.NotifyCreated:           `[Acme] API key "ci" created`,
		model.NotifyRotated:           `[Acme] API key "ci" rotated`,
		model.NotifyRotationScheduled: `[Acme] API key "ci" rotated; the old key works until Fri, 27 Nov 2026 12:00:00 UTC`,
		model.NotifyExpired:           `[Acme] API key "ci" expired`,
		model.NotifyDeleted:           `[Acme] API key "ci" deleted`,
	} {
		n := model.Notification{Kind: kind, Organization: "Acme", KeyName: "ci", KeyMasked: model.Mask("WXYZ"), ExpiresAt: expires}
		if got := Render(n).Subject; got != want {
			t.Errorf("%s: subject %q, want %q", kind, got, want)
		}
	}
}

func TestFooterSaysTokensCanBeRevealedNotThatTheyWereSeenOnce(t *testing.T) {
	m := Render(model.Notification{Kind: model.NotifyRotated, Organization: "Acme", KeyName: "ci"})
	for _, part := range []string{m.Text, m.HTML} {
		if strings.Contains(part, "saw") || !strings.Contains(part, "token at any time") || !strings.Contains(part, "audit log") {
			t.Errorf("footer is not accurate:\n%s", part)
		}
	}
}
