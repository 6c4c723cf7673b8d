package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// The idle check sees /auth's uses before they are flushed: a key used 10
// minutes into a 15-minute quiet period is not retired at minute 15.
func TestUntilIdleJudgesQuietFromUnflushedUses(t *testing.T) {
	f := newFixture(t)
	f.store.SetLastSeen(f.srv.LastSeen)
	old, oldTok := f.key("ci", model.AllPermissions())
	if _, _, err := f.store.RotateUntilIdle("test", old.ID, 15*time.Minute, model.Day); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Minute)
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/invoices"), http.StatusOK, "")
	if !f.lastUsed(old.ID).IsZero() {
		t.Fatal("the use was flushed; this test needs it in memory only")
	}
	f.clock.Advance(5 * time.Minute)
	if n, err := f.store.ApplyDue(f.clock.Now()); err != nil || n != 0 {
		t.Fatalf("ApplyDue = %d, %v: the key was seen 5 minutes ago", n, err)
	}
	f.clock.Advance(10 * time.Minute)
	if n, err := f.store.ApplyDue(f.clock.Now()); err != nil || n != 1 {
		t.Fatalf("ApplyDue 15 minutes after the last use = %d, %v", n, err)
	}
	wantAnswer(t, f.auth(oldTok, "GET", "/api/v1/invoices"), http.StatusUnauthorized, wantUnauthorized)
}
