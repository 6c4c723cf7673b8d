package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestKeysRotateUntilIdle(t *testing.T) {
	h := newHarness(t)
	old := h.createJSON("--name", "ci")
	code, out, errOut := h.run("keys", "rotate", old.ID, "--until-idle", "15m", "--max", "2d")
	if code != 0 || !strings.HasPrefix(out, "kr_") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "retires once /auth has not seen it for 15m") {
		t.Fatalf("note %q", errOut)
	}
	got, err := h.store.Get(old.ID)
	if err != nil || got.IdleRetire != 15*time.Minute || !got.ExpiresAt.Equal(t0.Add(2*model.Day)) {
		t.Fatalf("old key %+v %v", got, err)
	}
	if d, ok := h.store.IdleDeadline(got); !ok || !d.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("idle deadline %v", d)
	}
}

// keys show of an until-idle rotation's old key says when it retires if it
// stays quiet, moving on with each recorded use.
func TestKeysShowSaysWhenAnUntilIdleOldKeyRetires(t *testing.T) {
	h := newHarness(t)
	old := h.createJSON("--name", "ci")
	h.ok("keys", "rotate", old.ID, "--until-idle", "15m", "--max", "2d")
	retires := func() string {
		t.Helper()
		out := h.ok("keys", "show", old.ID)
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "retires") {
				return strings.Join(strings.Fields(line), " ")
			}
		}
		t.Fatalf("no retires line:\n%s", out)
		return ""
	}
	if got, want := retires(), "retires "+model.FormatTime(t0.Add(15*time.Minute))+" if it stays quiet (15m without traffic)"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	h.clock.Advance(10 * time.Minute)
	if err := h.store.RecordLastUsed(map[string]time.Time{old.ID: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if got := retires(); !strings.Contains(got, model.FormatTime(t0.Add(25*time.Minute))) {
		t.Fatalf("after a use 10 min in: %q", got)
	}
}

func TestKeysRotateUntilIdleBadInput(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	for _, args := range [][]string{
		{"--until-idle", "30s"},
		{"--until-idle", "31d"},
		{"--until-idle", "1h", "--max", "31d"},
		{"--until-idle", "2d", "--max", "1d"},
		{"--max", "1d"},
		{"--until-idle", "1h", "--in", "24h"},
		{"--until-idle", "soon"},
	} {
		h.fails(2, append([]string{"keys", "rotate", k.ID}, args...)...)
	}
	if len(h.keys()) != 2 {
		t.Fatal("a refused rotation changed the keys")
	}
}
