package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestKeysDisableAndEnable(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	if out := h.ok("keys", "disable", k.ID[:5]); out != "key "+k.ID+" disabled\n" {
		t.Fatalf("disable printed %q", out)
	}
	for _, j := range h.listJSON() {
		if j["id"] == k.ID && j["status"] != "disabled" {
			t.Fatalf("status %v, want disabled", j["status"])
		}
	}
	if !strings.Contains(h.ok("keys", "list"), "disabled") {
		t.Fatal("keys list does not say disabled")
	}
	if out := h.ok("keys", "disable", k.ID); !strings.Contains(out, "already disabled") {
		t.Fatalf("second disable printed %q", out)
	}
	h.ok("keys", "enable", k.ID)
	if got, _ := h.store.Get(k.ID); got.Disabled {
		t.Fatal("still disabled after enable")
	}
}

func TestKeysDisableRefusesTheLastActiveKey(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	errOut := h.fails(1, "keys", "disable", def.ID)
	if !strings.Contains(errOut, "cannot disable the last active key") {
		t.Fatalf("stderr %q", errOut)
	}
	if h.only().Disabled {
		t.Fatal("the last key was disabled")
	}
}

func TestKeysCreateExpiresAndKeysExpires(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "temp", "--expires", "90d")
	if k.Status != model.StatusExpiring || k.ExpiresAt == nil || !k.ExpiresAt.Equal(t0.Add(90*model.Day)) {
		t.Fatalf("created %+v", k)
	}
	if out := h.ok("keys", "expires", k.ID, "never"); out != "key "+k.ID+" never expires\n" {
		t.Fatalf("expires never printed %q", out)
	}
	h.ok("keys", "expires", k.ID, "36h")
	if got, _ := h.store.Get(k.ID); !got.ExpiresAt.Equal(t0.Add(36 * time.Hour)) {
		t.Fatalf("expires at %v", got.ExpiresAt)
	}
}

func TestPolicyMaxLifetime(t *testing.T) {
	h := newHarness(t)
	if out := h.ok("policy"); !strings.Contains(out, "max-lifetime none") {
		t.Fatalf("policy printed %q", out)
	}
	if out := h.ok("policy", "max-lifetime", "366d"); !strings.Contains(out, "max-lifetime 366d") {
		t.Fatalf("policy printed %q", out)
	}
	k := h.createJSON("--name", "bounded")
	if k.ExpiresAt == nil || !k.ExpiresAt.Equal(t0.Add(366*model.Day)) {
		t.Fatalf("a new key under the policy: %+v", k.ExpiresAt)
	}
	before := len(h.keys())
	if errOut := h.fails(1, "keys", "create", "--expires", "400d"); !strings.Contains(errOut, "beyond the policy's max lifetime of 366d") {
		t.Fatalf("stderr %q", errOut)
	}
	if len(h.keys()) != before {
		t.Fatal("a refused key was stored")
	}
	h.ok("policy", "max-lifetime", "none")
}

func TestLifecycleBadInput(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	tok := "kr_" + strings.Repeat("A", 36)
	for _, args := range [][]string{
		{"keys", "create", "--expires", "30s"},
		{"keys", "create", "--expires", "forever"},
		{"keys", "create", "--expires", tok},
		{"keys", "expires", k.ID, "-1d"},
		{"keys", "expires", k.ID, "99999d"},
		{"policy", "max-age", "1d"},
		{"policy", "max-lifetime"},
		{"policy", "max-lifetime", "soon"},
	} {
		errOut := h.fails(2, args...)
		if strings.Contains(errOut, tok) {
			t.Errorf("%q: token echoed: %q", args, errOut)
		}
	}
	if got, _ := h.store.Get(k.ID); !got.ExpiresAt.IsZero() {
		t.Fatal("a refused command changed the key")
	}
	if p, _ := h.store.Policy(); p.MaxLifetime != 0 {
		t.Fatal("a refused command set the policy")
	}
}
