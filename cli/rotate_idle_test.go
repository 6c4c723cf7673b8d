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
