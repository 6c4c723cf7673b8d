package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// answer runs cmd, and the commands it batches, as the program would, and
// returns the one answer to a read of T among their messages.
func answer[T any](t testing.TB, cmd tea.Cmd) tea.Msg {
	t.Helper()
	var found []tea.Msg
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case loadedMsg[T]:
			found = append(found, msg)
		}
	}
	run(cmd)
	if len(found) != 1 {
		t.Fatalf("%d answers to a read of %T, want 1", len(found), *new(T))
	}
	return found[0]
}

func TestDataViewsKeepTheNewerReadWhenAnOlderOneAnswersLate(t *testing.T) {
	tests := []struct {
		name   string
		open   string
		answer func(testing.TB, tea.Cmd) tea.Msg
		change func(*storage.Store) error
		want   string
	}{
		{"audit log", "a", answer[[]model.AuditEntry], func(s *storage.Store) error {
			_, err := s.Rename("alice@example.com", mustKeys(t, s)[0].ID, "Renamed late")
			return err
		}, "Renamed late"},
		{"members", "m", answer[[]model.Member], func(s *storage.Store) error {
			_, err := s.AddMember("keyrack", "late@example.com", model.RoleFinance, nil)
			return err
		}, "late@example.com"},
		{"mail outbox", "o", answer[[]model.Notification], func(s *storage.Store) error {
			_, _, err := s.Create("alice@example.com", "Late bot", model.AllPermissions())
			return err
		}, "Late bot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk, _ := seedMailStore(t)
			h := newHarness(t, s, clk, 100, 30)
			_, opened := h.m.Update(keyMsg(tt.open))
			older := tt.answer(t, opened) // read before the change
			if err := tt.change(s); err != nil {
				t.Fatal(err)
			}
			_, changed := h.m.Update(changedMsg{})
			newer := tt.answer(t, changed)
			h.m.Update(newer)
			if !strings.Contains(h.screen(), tt.want) {
				t.Fatalf("the newer read does not show %q:\n%s", tt.want, h.screen())
			}
			h.m.Update(older) // it comes back last
			if !strings.Contains(h.screen(), tt.want) {
				t.Fatalf("the older read's late answer hid %q:\n%s", tt.want, h.screen())
			}
		})
	}
}

func TestUsageViewIgnoresTheLateAnswerOfAClosedUsageView(t *testing.T) {
	s, clk, keys := seedStore(t)
	seedUsage(t, s, clk.Now(), keys)
	recordUsage(t, s, clk.Now(), keys["staging"].ID, "plan", model.Read, map[int][2]uint32{1: {42, 0}})
	h := newHarness(t, s, clk, 80, 24)
	_, opened := h.m.Update(keyMsg("u")) // Default's usage
	h.m.Update(keyMsg("esc"))
	h.selectKey(keys["staging"].ID)
	_, reopened := h.m.Update(keyMsg("u"))
	h.m.Update(answer[model.Usage](t, opened)) // the closed view's read comes back
	if screen := h.screen(); strings.Contains(screen, "6,985 requests") {
		t.Fatalf("Staging's usage view shows Default's traffic:\n%s", screen)
	}
	h.m.Update(answer[model.Usage](t, reopened))
	if screen := h.screen(); !strings.Contains(screen, "Usage of Staging") || !strings.Contains(screen, "42 requests") {
		t.Fatalf("Staging's usage view lacks its own traffic:\n%s", screen)
	}
}
