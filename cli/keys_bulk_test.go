package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func lagoLines(n int) (string, []string) {
	var b strings.Builder
	var toks []string
	for i := 0; i < n; i++ {
		tok := fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", i)
		toks = append(toks, tok)
		fmt.Fprintf(&b, `{"value":%q,"name":"lago %d","permissions":{"invoice":["read"]},"created_at":"2024-05-01T10:00:00Z","last_used_at":null}`+"\n", tok, i)
	}
	return b.String(), toks
}

func TestImportFromStdinKeepsLagoTokensWorking(t *testing.T) {
	h := newHarness(t)
	in, toks := lagoLines(3)
	code, out, errOut := h.runIn(in, false, "keys", "import", "-")
	if code != 0 || out != "" || !strings.Contains(errOut, "imported 3 keys") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	tok, _ := model.ParseCredential(toks[1])
	k, err := h.store.Authenticate(tok, h.clock.Now())
	inv, _ := model.LookupResource("invoice")
	if err != nil || k.Name != "lago 1" || k.Permissions[inv] != model.Read || !k.CreatedAt.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("imported key %+v, %v", k, err)
	}
}

func TestImportOfAFileRefusesItWholeOnABadLine(t *testing.T) {
	h := newHarness(t)
	in, toks := lagoLines(3)
	path := filepath.Join(t.TempDir(), "keys.jsonl")
	if err := os.WriteFile(path, []byte(in+in), 0o600); err != nil {
		t.Fatal(err)
	}
	msg := h.fails(1, "keys", "import", path)
	if !strings.Contains(msg, "line 4: the same token as line 1") || !strings.Contains(msg, "nothing was imported") {
		t.Errorf("stderr %q", msg)
	}
	for _, tok := range toks {
		if strings.Contains(msg, tok) {
			t.Errorf("the error repeats a token: %q", msg)
		}
	}
	if n := len(h.listJSON()); n != 1 {
		t.Fatalf("%d keys after a refused import, want 1", n)
	}
}

func TestImportWithAnUnknownFormatIsAUsageError(t *testing.T) {
	h := newHarness(t)
	in, _ := lagoLines(1)
	if code, _, errOut := h.runIn(in, false, "keys", "import", "--format", "csv", "-"); code != 2 || !strings.Contains(errOut, `--format "csv": want keyrack or lago`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if n := len(h.listJSON()); n != 1 {
		t.Fatalf("%d keys after a refused import, want 1", n)
	}
}

func TestImportInKeyrackFormPrintsTheGeneratedTokens(t *testing.T) {
	h := newHarness(t)
	code, out, errOut := h.runIn(`{"name":"ci","permissions":{"invoice":["read","write"]}}`+"\n"+`{"name":"cd"}`, false, "keys", "import", "--format", "keyrack", "-")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var k keyJSON
	if err := json.Unmarshal([]byte(lines[0]), &k); err != nil || k.Name != "ci" {
		t.Fatalf("line %q: %v", lines[0], err)
	}
	if _, err := model.ParseToken(k.Token); err != nil {
		t.Fatalf("printed token: %v", err)
	}
}

func TestRotateAllNeedsYesWithoutATerminal(t *testing.T) {
	h := newHarness(t)
	if msg := h.fails(2, "keys", "rotate", "--all"); !strings.Contains(msg, "--yes") {
		t.Errorf("stderr %q", msg)
	}
	h.fails(2, "keys", "rotate", "--all", "--yes", "someid")
}

func TestRotateAllPrintsOneLinePerNewKeyAndMailsOnce(t *testing.T) {
	h := newHarness(t)
	if _, err := h.store.AddMember("t", "ada@example.com", model.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	in, _ := lagoLines(5)
	h.runIn(in, false, "keys", "import", "-")
	code, out, errOut := h.run("keys", "rotate", "--all", "--in", "1h", "--yes", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 6 || !strings.Contains(errOut, "rotated 6 keys") {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(lines), errOut)
	}
	var r rotatedJSON
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || r.Replaces == "" || r.ID == "" {
		t.Fatalf("line %q: %v", lines[0], err)
	}
	if _, err := model.ParseToken(r.Token); err != nil {
		t.Fatalf("token: %v", err)
	}
	mails, _ := h.store.Outbox(0)
	rotations := 0
	for _, m := range mails {
		if m.Kind == model.NotifyRotationScheduled {
			rotations++
			if m.Count != 6 {
				t.Errorf("rotation mail covers %d keys", m.Count)
			}
		}
	}
	if rotations != 1 {
		t.Fatalf("%d rotation mails, want 1", rotations)
	}
}
