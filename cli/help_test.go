package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

func TestCompletionScriptsForEachShell(t *testing.T) {
	h := newHarness(t)
	for shell, want := range map[string]string{
		"bash": "# bash completion V2 for keyrack",
		"zsh":  "#compdef keyrack",
		"fish": "# fish completion for keyrack",
	} {
		if out := h.ok("completion", shell); !strings.HasPrefix(out, want) {
			t.Errorf("completion %s starts with %q", shell, out[:min(len(out), 60)])
		}
	}
	h.fails(2, "completion", "tcsh")
}

func TestCompletionOffersKeyIDsRolesAndDelays(t *testing.T) {
	h := newHarness(t)
	id := h.only().ID
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "keys", "show", ""}, id + "\tDefault"},
		{[]string{"__complete", "keys", "rotate", id, "--in", ""}, "24h"},
		{[]string{"__complete", "members", "add", "x@y.z", "--role", ""}, "finance"},
		{[]string{"__complete", "keys", "permissions", id, "cust"}, "customer="},
		{[]string{"__complete", "ke"}, "keys"},
	} {
		if out := h.ok(tc.args...); !strings.Contains(out, tc.want) {
			t.Errorf("keyrack %q offered %q, want %q among them", tc.args, out, tc.want)
		}
	}
}

func TestResourcesListsAllWithReadOnlyOnesMarked(t *testing.T) {
	h := newHarness(t)
	var list []resourceJSON
	if err := json.Unmarshal([]byte(h.ok("resources", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != model.ResourceCount || model.ResourceCount != 38 {
		t.Fatalf("%d resources, want 38", len(list))
	}
	readOnly := map[string]bool{}
	for _, r := range list {
		if r.ReadOnly {
			readOnly[r.Name] = true
			if len(r.Modes) != 1 || r.Modes[0] != "read" {
				t.Errorf("%s: modes %v", r.Name, r.Modes)
			}
		}
	}
	for _, name := range []string{"activity_log", "analytic", "api_log", "customer_usage", "security_log"} {
		if !readOnly[name] {
			t.Errorf("%s is not marked read-only", name)
		}
	}
	if len(readOnly) != 5 {
		t.Errorf("read-only: %v", readOnly)
	}
	table := h.ok("resources")
	if !strings.Contains(table, "api_log") || !strings.Contains(table, "read (read-only)") || !strings.Contains(table, "invoice") {
		t.Errorf("resources:\n%s", table)
	}
}

func TestAuditSaysWhenMoreEntriesExist(t *testing.T) {
	h := newHarness(t)
	for range 4 {
		h.createJSON()
	}
	total, _ := h.store.AuditCount()
	code, out, errOut := h.run("audit", "--limit", "3")
	if code != 0 || strings.Count(out, "\n") != 4 {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if want := "showing 3 of " + model.Count(total, "entry", "entries") + "; --limit 0 for all\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	for _, args := range [][]string{{"audit", "--limit", "0"}, {"audit", "-l", "100"}} {
		if code, _, errOut := h.run(args...); code != 0 || errOut != "" {
			t.Errorf("keyrack %q: exit %d, stderr %q; want no note when everything is shown", args, code, errOut)
		}
	}
}

func TestFlagValueErrorsSayWhatTheFlagTakes(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--limit", "many"}, `keyrack: --limit "many": want a whole number`},
		{[]string{"audit", "-l", "many"}, `keyrack: --limit "many": want a whole number`},
		{[]string{"keys", "list", "--json=maybe"}, `keyrack: --json "maybe": want true or false`},
		{[]string{"serve", "--last-used-flush", "soon"}, `keyrack: --last-used-flush "soon": want a duration`},
		{[]string{"keys", "rotate", "x", "--in"}, "keyrack: flag needs an argument: --in"},
	} {
		if msg := h.fails(2, tc.args...); !strings.HasPrefix(msg, tc.want) {
			t.Errorf("keyrack %q: stderr %q, want it to start with %q", tc.args, msg, tc.want)
		}
	}
}

func TestHelpNamesTheCommandOrSuggestsOne(t *testing.T) {
	h := newHarness(t)
	if out := h.ok("help", "keys", "rotate"); !strings.Contains(out, "keyrack keys rotate ID") {
		t.Errorf("help keys rotate:\n%s", out)
	}
	for args, want := range map[string]string{
		"help kyes":        `unknown command "kyes" for "keyrack"; did you mean "keys"?`,
		"help keys rotat":  `unknown command "rotat" for "keyrack keys"; did you mean "rotate"?`,
		"help keys list x": `unknown command "x" for "keyrack keys list"`,
	} {
		if msg := h.fails(2, strings.Fields(args)...); !strings.Contains(msg, want) || !strings.Contains(msg, "usage: keyrack help [COMMAND]...\n") {
			t.Errorf("keyrack %s: stderr %q, want %q", args, msg, want)
		}
	}
}
