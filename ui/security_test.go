package ui

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// controlFree fails if s holds a character that could drive a terminal:
// the Ascii renderer adds none, so any would come from data.
func controlFree(t *testing.T, where, s string) {
	t.Helper()
	for i, r := range s {
		if r != '\n' && (unicode.IsControl(r) || r == 0x7f) {
			t.Fatalf("%s: control character %U at byte %d:\n%q", where, r, i, s)
		}
	}
}

func TestStorageTextReachesTheScreenWithoutControlCharacters(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(3, now)
	evil := "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\x00\u202eevil"
	s.org = "Org" + evil
	s.keys[0].Name, s.keys[0].CreatedBy, s.keys[0].ID = "key"+evil, "actor"+evil, "id"+evil
	s.keys[0].RotatedFrom, s.keys[0].ReplacedBy = "from"+evil, "by"+evil
	s.audit = []model.AuditEntry{{At: now, Actor: "a" + evil, Action: "create" + evil, KeyID: "i" + evil, KeyName: "n" + evil, Detail: "d" + evil}}
	h := newHarness(t, s, clock.NewFake(now), 100, 30)
	controlFree(t, "main screen", h.screen())
	for _, keys := range [][]string{{"r"}, {"d"}, {"p"}, {"e"}, {"a"}, {"?"}} {
		h.press(keys...)
		h.waitFor("the view loaded", func() bool { return h.m.pane != nil })
		if keys[0] == "a" {
			h.wantScreen("create")
		}
		controlFree(t, "after "+keys[0], h.screen())
		h.press("esc")
	}
	h.press("c") // fails in memStore: the error text is shown sanitised too
	h.wantScreen("✗")
	controlFree(t, "error", h.screen())
}

func TestCopyUsesOSC52AndClearsAfter45Seconds(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	tok, _ := s.Reveal("test", mustKeys(t, s)[0].ID)
	h.press("c")
	h.wantScreen("clears in 45 s")
	set := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(tok.Reveal())) + "\a"
	const clear = "\x1b]52;c;\a" // an empty payload
	if out := h.out.String(); out != set {
		t.Fatalf("output %q, want %q", out, set)
	}
	if !strings.Contains(h.screen(), "OSC 52") {
		t.Fatalf("status does not say how it copied:\n%s", h.screen())
	}
	h.advance(44 * time.Second)
	if strings.Contains(h.out.String(), clear) {
		t.Fatal("cleared before 45 s")
	}
	h.advance(time.Second)
	h.waitFor("the clear sequence", func() bool { return h.out.String() == set+clear })
	h.wantScreen("asked your terminal to clear the clipboard")
	if h.m.status.text != "asked your terminal to clear the clipboard; tmux or your terminal may keep a copy" {
		t.Fatalf("status %q", h.m.status.text)
	}
}

func TestNewerCopyPostponesTheClear(t *testing.T) {
	s, clk := openStore(t)
	h := newHarness(t, s, clk, 80, 24)
	h.press("c")
	h.waitFor("first copy", func() bool { return h.m.clip.gen == 1 })
	h.advance(30 * time.Second)
	h.press("y")
	h.waitFor("second copy", func() bool { return h.m.clip.gen == 2 })
	h.advance(15 * time.Second) // the first copy's 45 s are over
	h.waitSeen("the first timer", func(m tea.Msg) bool { e, ok := m.(clipExpiredMsg); return ok && e.gen == 1 })
	if strings.Contains(h.out.String(), "\x1b]52;c;\a") {
		t.Fatal("cleared although something newer was copied")
	}
	h.advance(30 * time.Second)
	h.waitFor("the clear after the second copy", func() bool { return strings.HasSuffix(h.out.String(), "\x1b]52;c;\a") })
	if n := strings.Count(h.out.String(), "\x1b]52;c;\a"); n != 1 {
		t.Fatalf("cleared %d times", n)
	}
}

func TestMemberAndMailTextReachesTheScreenWithoutControlCharacters(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(3, now)
	evil := "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\x00\u202eevil"
	s.members = []model.Member{
		{Email: "a" + evil + "@example.com", Role: model.RoleAdmin, SSHKeys: []string{"ssh-ed25519 " + evil}, AddedAt: now},
		{Email: "b@example.com", Role: model.Role("boss" + evil), AddedAt: now},
	}
	s.outbox = []model.Notification{
		{ID: "2" + evil, Kind: model.NotifyCreated, Organization: "Org" + evil, KeyID: "k" + evil, KeyName: "n" + evil,
			KeyMasked: "kr_" + evil, Actor: "x" + evil, At: now, Recipients: []string{"r" + evil, "s" + evil},
			State: model.MailFailed, Attempts: 3, LastError: "550 " + evil + "\r\nnext line", NextAttemptAt: now.Add(time.Minute)},
		{ID: "1", Kind: model.NotificationKind("odd" + evil), KeyName: "m" + evil, At: now, Recipients: []string{"t" + evil},
			State: model.MailState("weird" + evil), LastError: evil},
	}
	h := newHarness(t, s, clock.NewFake(now), 100, 30)
	for _, keys := range [][]string{{"m"}, {"m", "down"}, {"m", "d"}, {"m", "k"}, {"o"}, {"o", "enter"}, {"o", "down", "enter"}} {
		for _, k := range keys {
			h.press(k)
			h.waitLoaded()
		}
		h.wantScreen("evil")
		controlFree(t, strings.Join(keys, " "), h.screen())
		for h.m.pane != nil {
			h.press("esc")
		}
	}
	h.press("m", "a", "b@example.com", "enter", "enter", "enter") // memStore refuses the duplicate
	h.wantScreen("✗ member b@example.com already exists")
	controlFree(t, "error", h.screen())
}

func TestStoredLast4ReachesTheScreenWithoutControlCharacters(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(3, now)
	s.keys[0].Last4 = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J" // a hand-edited record
	h := newHarness(t, s, clock.NewFake(now), 100, 30)
	controlFree(t, "main screen", h.screen())
}
