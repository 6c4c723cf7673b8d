package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func (h *harness) auditJSON(args ...string) []model.AuditEntry {
	h.t.Helper()
	var entries []model.AuditEntry
	out := h.ok(append([]string{"audit", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		h.t.Fatalf("audit --json printed %q: %v", out, err)
	}
	return entries
}

func TestAuditJSONListsNewestFirstAndHonoursLimit(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	h.ok("keys", "rename", k.ID, "ci-2")
	h.ok("keys", "reveal", k.ID)

	all := h.auditJSON("--limit", "0")
	var actions []string
	for _, e := range all {
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, " "), "reveal rename create create organization_create"; got != want {
		t.Errorf("actions newest first = %q, want %q", got, want)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Seq <= all[i].Seq {
			t.Errorf("entry %d (seq %d) is not newer than entry %d (seq %d)", i-1, all[i-1].Seq, i, all[i].Seq)
		}
	}
	if all[0].Actor != "alice@example.com" || all[0].KeyID != k.ID || all[0].KeyName != "ci-2" {
		t.Errorf("newest entry %+v", all[0])
	}

	tests := []struct {
		limit string
		want  int
	}{{"1", 1}, {"2", 2}, {"5", 5}, {"100", 5}, {"0", 5}}
	for _, tt := range tests {
		got := h.auditJSON("--limit", tt.limit)
		if len(got) != tt.want {
			t.Errorf("--limit %s gave %d entries, want %d", tt.limit, len(got), tt.want)
			continue
		}
		if got[0].Seq != all[0].Seq {
			t.Errorf("--limit %s does not start with the newest entry", tt.limit)
		}
	}
}

func TestAuditJSONFieldNames(t *testing.T) {
	h := newHarness(t)
	h.createJSON("--name", "ci")
	var entries []map[string]any
	if err := json.Unmarshal([]byte(h.ok("audit", "--json", "--limit", "1")), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("got %d entries", len(entries))
	}
	for _, field := range []string{"seq", "at", "actor", "action", "key_id", "key_name"} {
		if _, ok := entries[0][field]; !ok {
			t.Errorf("field %q missing from %v", field, entries[0])
		}
	}
}

func TestAuditTextNeutralisesStoredControlCharacters(t *testing.T) {
	h := newHarness(t)
	var out strings.Builder
	var errOut strings.Builder
	// An actor name comes from SSH or the environment, not from ValidateName.
	code := Run(Env{Store: h.store, Actor: "mallory\x1b[2J", Stdout: &out, Stderr: &errOut}, []string{"keys", "create", "--name", "ci"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := h.ok("audit")
	if strings.ContainsRune(text, '\x1b') {
		t.Errorf("audit printed an escape character: %q", text)
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for _, col := range []string{"WHEN", "ACTOR", "ACTION", "KEY", "DETAIL"} {
		if !strings.Contains(lines[0], col) {
			t.Errorf("header %q lacks %s", lines[0], col)
		}
	}
	if !strings.Contains(lines[1], "mallory") || !strings.Contains(lines[1], "key created") {
		t.Errorf("newest line %q", lines[1])
	}
}
