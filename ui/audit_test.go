package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

func TestAuditSaysLoadingUntilTheRecordsArrive(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := newMemStore(1, now)
	s.audit = []model.AuditEntry{{At: now, Actor: "alice", Action: "copy", KeyID: "k1", KeyName: "ci"}}
	h := newHarness(t, s, clock.NewFake(now), 80, 24)
	_, cmd := h.m.Update(keyMsg("a")) // the load command is not run yet
	if screen := h.screen(); strings.Contains(screen, "no records yet") || !strings.Contains(screen, "loading") {
		t.Fatalf("audit before its records arrive:\n%s", screen)
	}
	h.run(cmd)
	h.wantScreen("by alice")
	if strings.Contains(h.screen(), "by alice ·") {
		t.Fatalf("a record without detail ends with a separator:\n%s", h.screen())
	}
}
