package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/keyrack/keyrack/model"
)

func TestDetailsOfADisabledKeySayItIsRefusedNotActive(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	k := model.Key{ID: "abcdefghijkl", Name: "ci", CreatedAt: now.Add(-time.Hour), Disabled: true}
	text := strings.Join(detailsView(newStyles(lipgloss.NewRenderer(nil)), k, keyUsage{}, now, revealState{}, 100, 10), "\n")
	if strings.Contains(text, "Active") || strings.Contains(text, "Rotate it") || !strings.Contains(text, "Disabled: refused at /auth") {
		t.Errorf("details of a disabled key:\n%s", text)
	}
}
