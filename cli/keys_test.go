package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// harness runs commands against a fresh store on a fake clock.
type harness struct {
	t     *testing.T
	store *storage.Store
	clock *clock.Fake
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	t.Setenv(storage.MasterKeyEnv, "")
	fake := clock.NewFake(t0)
	st, err := storage.Open(filepath.Join(t.TempDir(), "keyrack.db"), storage.Options{Clock: fake, Org: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &harness{t: t, store: st, clock: fake}
}

// run runs one command and returns its exit status, stdout and stderr.
func (h *harness) run(args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	code := Run(Env{Store: h.store, Actor: "alice@example.com", Stdout: &out, Stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// ok runs a command that must succeed and returns its stdout.
func (h *harness) ok(args ...string) string {
	h.t.Helper()
	code, out, errOut := h.run(args...)
	if code != 0 {
		h.t.Fatalf("keyrack %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out
}

// fails runs a command that must exit with code and returns its stderr,
// checked to be "keyrack: …" with nothing on stdout.
func (h *harness) fails(code int, args ...string) string {
	h.t.Helper()
	got, out, errOut := h.run(args...)
	if got != code {
		h.t.Fatalf("keyrack %q: exit %d, want %d (stdout %q, stderr %q)", args, got, code, out, errOut)
	}
	if !strings.HasPrefix(errOut, "keyrack: ") {
		h.t.Errorf("keyrack %q: stderr %q does not start with \"keyrack: \"", args, errOut)
	}
	if out != "" {
		h.t.Errorf("keyrack %q: failed but printed %q on stdout", args, out)
	}
	if strings.ContainsAny(errOut, "\x1b\x00\r") {
		h.t.Errorf("keyrack %q: stderr carries control characters: %q", args, errOut)
	}
	return errOut
}

// listJSON returns keys list --json decoded loosely, to check its shape.
func (h *harness) listJSON() []map[string]any {
	h.t.Helper()
	var keys []map[string]any
	if err := json.Unmarshal([]byte(h.ok("keys", "list", "--json")), &keys); err != nil {
		h.t.Fatal(err)
	}
	return keys
}

// keys returns the store's keys.
func (h *harness) keys() []model.Key {
	h.t.Helper()
	keys, err := h.store.List()
	if err != nil {
		h.t.Fatal(err)
	}
	return keys
}

func (h *harness) only() model.Key {
	h.t.Helper()
	keys := h.keys()
	if len(keys) != 1 {
		h.t.Fatalf("want one key, have %d", len(keys))
	}
	return keys[0]
}

// createJSON runs keys create --json with extra args and returns the key object.
func (h *harness) createJSON(args ...string) keyJSON {
	h.t.Helper()
	var k keyJSON
	out := h.ok(append([]string{"keys", "create", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &k); err != nil {
		h.t.Fatalf("keys create --json printed %q: %v", out, err)
	}
	return k
}

var maskedForm = regexp.MustCompile(`^kr_••••••••[0-9A-Za-z]{4}$`)

func TestKeysListShowsTheDefaultKeyMasked(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	tok, err := h.store.Reveal("test", def.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := h.ok("keys", "list")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("keys list printed %d lines, want a header and one key:\n%s", len(lines), out)
	}
	for _, col := range []string{"ID", "NAME", "TOKEN", "STATUS", "LAST USED", "CREATED"} {
		if !strings.Contains(lines[0], col) {
			t.Errorf("header %q lacks %s", lines[0], col)
		}
	}
	for _, want := range []string{def.ID, "Default", def.Masked(), "active", "never"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row %q lacks %q", lines[1], want)
		}
	}
	if strings.Contains(out, tok.Reveal()) || strings.Contains(out, tok.Reveal()[3:20]) {
		t.Errorf("keys list printed the secret")
	}
}

func TestKeysListJSONShape(t *testing.T) {
	h := newHarness(t)
	keys := h.listJSON()
	if len(keys) != 1 {
		t.Fatalf("want one key, got %v", keys)
	}
	k := keys[0]
	for _, field := range []string{"id", "name", "masked", "created_at", "last_used_at", "expires_at", "status", "permissions"} {
		if _, ok := k[field]; !ok {
			t.Errorf("field %q missing from %v", field, k)
		}
	}
	if _, ok := k["token"]; ok {
		t.Errorf("keys list --json prints a token: %v", k)
	}
	if k["id"] != h.only().ID || k["name"] != "Default" || k["status"] != "active" {
		t.Errorf("id, name, status = %v, %v, %v", k["id"], k["name"], k["status"])
	}
	if k["last_used_at"] != nil || k["expires_at"] != nil {
		t.Errorf("last_used_at %v and expires_at %v, want null for a new, unused key", k["last_used_at"], k["expires_at"])
	}
	if m, _ := k["masked"].(string); !maskedForm.MatchString(m) {
		t.Errorf("masked = %q", k["masked"])
	}
	created, _ := k["created_at"].(string)
	if at, err := time.Parse(time.RFC3339, created); err != nil || !at.Equal(t0) {
		t.Errorf("created_at = %q, want %s in RFC 3339", created, t0.Format(time.RFC3339))
	}
	perms, ok := k["permissions"].(map[string]any)
	if !ok || len(perms) != model.ResourceCount {
		t.Fatalf("permissions = %v, want an object naming all %d resources", k["permissions"], model.ResourceCount)
	}
	if got := perms["invoice"]; !slices.Equal(anyStrings(got), []string{"read", "write"}) {
		t.Errorf("permissions.invoice = %v, want [read write]", got)
	}
	if got := perms["api_log"]; !slices.Equal(anyStrings(got), []string{"read"}) {
		t.Errorf("permissions.api_log = %v, want [read]", got)
	}
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestKeysCreateJSONPrintsATokenThatRevealReturns(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	if _, err := model.ParseToken(k.Token); err != nil {
		t.Fatalf("token %q: %v", k.Token, err)
	}
	if k.Name != "ci" || k.Status != model.StatusActive || k.ExpiresAt != nil || k.LastUsedAt != nil {
		t.Errorf("created key %+v", k)
	}
	if k.Masked != model.Mask(k.Token[len(k.Token)-4:]) {
		t.Errorf("masked %q does not end with the token's last four", k.Masked)
	}
	if k.Permissions != model.AllPermissions() {
		t.Errorf("a new key has %s, want all", k.Permissions)
	}
	if got := strings.TrimSpace(h.ok("keys", "reveal", k.ID)); got != k.Token {
		t.Errorf("keys reveal printed %q, want the created token %q", got, k.Token)
	}
	if len(h.listJSON()) != 2 {
		t.Error("the new key is not listed")
	}
}

func TestKeysCreatePrintsOnlyTheTokenOnStdout(t *testing.T) {
	h := newHarness(t)
	code, out, errOut := h.run("keys", "create", "--name", "deploy", "--permissions", "customer=read,invoice=read+write")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	tok, err := model.ParseToken(strings.TrimSuffix(out, "\n"))
	if err != nil {
		t.Fatalf("stdout %q is not a token alone: %v", out, err)
	}
	if !strings.Contains(errOut, "created key") || strings.Contains(errOut, tok.Reveal()) {
		t.Errorf("stderr %q", errOut)
	}
	var created model.Key
	for _, k := range h.keys() {
		if k.Name == "deploy" {
			created = k
		}
	}
	if created.Permissions.String() != "customer=read,invoice=read+write" {
		t.Errorf("permissions %s", created.Permissions)
	}
}

func TestKeysRotateWithDelayKeepsTheOldKeyExpiring(t *testing.T) {
	h := newHarness(t)
	old := h.createJSON("--name", "ci", "--permissions", "customer=read")
	var nk keyJSON
	if err := json.Unmarshal([]byte(h.ok("keys", "rotate", old.ID, "--in", "2s", "--json")), &nk); err != nil {
		t.Fatal(err)
	}
	if _, err := model.ParseToken(nk.Token); err != nil || nk.Token == old.Token {
		t.Fatalf("rotate printed token %q (%v)", nk.Token, err)
	}
	if nk.Name != "ci" || nk.Permissions.String() != "customer=read" || nk.Status != model.StatusActive {
		t.Errorf("the new key does not inherit name and permissions: %+v", nk)
	}

	var shown map[string]any
	if err := json.Unmarshal([]byte(h.ok("keys", "show", old.ID, "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	if shown["status"] != "expiring" {
		t.Errorf("old key status %v, want expiring", shown["status"])
	}
	exp, _ := shown["expires_at"].(string)
	if at, err := time.Parse(time.RFC3339, exp); err != nil || !at.Equal(t0.Add(2*time.Second)) {
		t.Errorf("old key expires_at %q, want %s", exp, t0.Add(2*time.Second).Format(time.RFC3339))
	}
	if got := strings.TrimSpace(h.ok("keys", "reveal", old.ID)); got != old.Token {
		t.Errorf("the old key's token changed during its grace period")
	}

	h.clock.Advance(2 * time.Second) // due, but nothing has retired it yet
	for _, k := range h.listJSON() {
		if k["id"] == old.ID {
			t.Errorf("the old key is listed at its expiry time, before the scheduler ran")
		}
	}
	if out := h.ok("keys", "list"); strings.Contains(out, old.ID) {
		t.Errorf("keys list shows the expired key:\n%s", out)
	}
	if _, err := h.store.ApplyDue(h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if len(h.listJSON()) != 2 {
		t.Errorf("want Default and the new key after the expiry")
	}
}

func TestKeysRotateNowRetiresTheOldKeyAtOnce(t *testing.T) {
	h := newHarness(t)
	old := h.createJSON("--name", "ci")
	code, out, errOut := h.run("keys", "rotate", old.ID)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := model.ParseToken(strings.TrimSpace(out)); err != nil {
		t.Errorf("stdout %q is not a token: %v", out, err)
	}
	if !strings.Contains(errOut, "stopped working") {
		t.Errorf("stderr %q does not say the old key stopped working", errOut)
	}
	if msg := h.fails(1, "keys", "show", old.ID); !strings.Contains(msg, "no key") {
		t.Errorf("the old key is still there: %q", msg)
	}
}

func TestKeysRotateOfAnExpiringKeyIsRefused(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	h.ok("keys", "rotate", k.ID, "--in", "1h")
	before := len(h.keys())
	msg := h.fails(1, "keys", "rotate", k.ID, "--in", "1h")
	if !strings.Contains(msg, "already rotated") || !strings.Contains(msg, "expires at") {
		t.Errorf("stderr %q, want it to say the key is already rotated and when it expires", msg)
	}
	if len(h.keys()) != before {
		t.Error("a refused rotation created a key")
	}
}

func TestKeysExpireEndsTheGracePeriod(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	if msg := h.fails(1, "keys", "expire", k.ID); !strings.Contains(msg, "not expiring") {
		t.Errorf("expiring an active key: %q", msg)
	}
	h.ok("keys", "rotate", k.ID, "--in", "7d")
	h.ok("keys", "expire", k.ID)
	if _, err := h.store.Get(k.ID); err == nil {
		t.Error("the key is still there after keys expire")
	}
}

func TestKeysDeleteRefusesTheLastActiveKey(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	msg := h.fails(1, "keys", "delete", def.ID)
	if !strings.Contains(msg, "cannot delete the last active key (code last_non_expiring_api_key)") {
		t.Errorf("stderr %q", msg)
	}
	h.only()

	// An expiring key does not count: its replacement is the active one.
	nk := h.createJSON("--name", "new")
	h.ok("keys", "rotate", nk.ID, "--in", "1h")
	h.ok("keys", "delete", def.ID)
	var active model.Key
	for _, k := range h.keys() {
		if k.ExpiresAt.IsZero() {
			active = k
		}
	}
	if msg := h.fails(1, "keys", "delete", active.ID); !strings.Contains(msg, "cannot delete the last active key") {
		t.Errorf("stderr %q", msg)
	}
	h.ok("keys", "delete", nk.ID) // the expiring one may go
	h.only()
}

func TestKeysAreNamedByAnyUniquePrefix(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	for n := 1; n <= len(def.ID); n++ {
		var k keyJSON
		if err := json.Unmarshal([]byte(h.ok("keys", "show", def.ID[:n], "--json")), &k); err != nil {
			t.Fatal(err)
		}
		if k.ID != def.ID {
			t.Errorf("prefix %q named %s, want %s", def.ID[:n], k.ID, def.ID)
		}
	}
	h.ok("keys", "rename", def.ID[:3], "main")
	if h.only().Name != "main" {
		t.Error("rename by prefix did not rename")
	}
	for _, bad := range []string{"zzzzzzzzzzzzz", "ABC", "a-b"} {
		h.fails(1, "keys", "show", bad)
	}
}

func TestAnAmbiguousPrefixNamesTheCandidates(t *testing.T) {
	h := newHarness(t)
	byFirst := map[byte][]string{}
	for _, k := range h.keys() {
		byFirst[k.ID[0]] = append(byFirst[k.ID[0]], k.ID)
	}
	var shared []string
	for len(shared) == 0 {
		k := h.createJSON()
		byFirst[k.ID[0]] = append(byFirst[k.ID[0]], k.ID)
		if ids := byFirst[k.ID[0]]; len(ids) == 2 {
			shared = ids
		}
	}
	before := h.keys()
	prefix := shared[0][:1]
	for _, args := range [][]string{
		{"keys", "show", prefix},
		{"keys", "reveal", prefix},
		{"keys", "delete", prefix},
		{"keys", "rotate", prefix},
	} {
		msg := h.fails(1, args...)
		if !strings.Contains(msg, "ambiguous") || !strings.Contains(msg, shared[0]) || !strings.Contains(msg, shared[1]) {
			t.Errorf("keyrack %s: stderr %q, want it to name %v", strings.Join(args, " "), msg, shared)
		}
	}
	if len(h.keys()) != len(before) {
		t.Error("a command on an ambiguous prefix changed the keys")
	}
}

func TestNamesWithControlCharactersAreRefusedAndNothingChanges(t *testing.T) {
	for _, name := range []string{"\x1b[2J", "ci\x1b]52;c;aGk=\x07", "\x00", "a\nb", "a\u202eb", strings.Repeat("n", 65)} {
		t.Run(strings.ToValidUTF8(name, "?"), func(t *testing.T) {
			h := newHarness(t)
			def := h.only()
			auditBefore, _ := h.store.Audit(0)

			h.fails(1, "keys", "create", "--name", name)
			h.fails(1, "keys", "rename", def.ID, name)

			if k := h.only(); k.Name != "Default" {
				t.Errorf("name changed to %q", k.Name)
			}
			if auditAfter, _ := h.store.Audit(0); len(auditAfter) != len(auditBefore) {
				t.Errorf("a refused name was audited: %d records, had %d", len(auditAfter), len(auditBefore))
			}
		})
	}
}

func TestPermissionSpecErrorsAreUsageErrors(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	for _, spec := range []string{"bogus=read", "customer=admin", "api_log=write", "customer", "", "customer=read,"} {
		if msg := h.fails(2, "keys", "permissions", def.ID, spec); !strings.Contains(msg, "usage: keyrack keys permissions") {
			t.Errorf("spec %q: stderr %q lacks the usage line", spec, msg)
		}
		h.fails(2, "keys", "create", "--permissions", spec)
	}
	if k := h.only(); k.Permissions != model.AllPermissions() {
		t.Errorf("refused specs changed the permissions to %s", k.Permissions)
	}
}

func TestKeysPermissionsSetsTheSpec(t *testing.T) {
	h := newHarness(t)
	def := h.only()
	tests := []struct{ spec, want string }{
		{"customer=read,invoice=read+write", "customer=read,invoice=read+write"},
		{"none", "none"},
		{"all", "all"},
	}
	for _, tt := range tests {
		h.ok("keys", "permissions", def.ID, tt.spec)
		if got := h.only().Permissions.String(); got != tt.want {
			t.Errorf("after %q: %s", tt.spec, got)
		}
	}
	h.ok("keys", "permissions", def.ID, "customer=read")
	var shown map[string]any
	if err := json.Unmarshal([]byte(h.ok("keys", "show", def.ID, "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	perms, _ := json.Marshal(shown["permissions"])
	if string(perms) != `{"customer":["read"]}` {
		t.Errorf("permissions JSON %s", perms)
	}
	if out := h.ok("keys", "show", def.ID); !strings.Contains(out, "read-only: 1 of 38 resources") || !strings.Contains(out, "customer=read") {
		t.Errorf("keys show:\n%s", out)
	}
}

func TestUsageErrorsExitWith2(t *testing.T) {
	h := newHarness(t)
	id := h.only().ID
	tests := [][]string{
		{"keys", "list", "--bogus"},
		{"keys", "list", "extra"},
		{"keys", "create", "--nme", "x"},
		{"keys", "create", "--json=maybe"},
		{"keys", "show"},
		{"keys", "show", id, id},
		{"keys", "reveal"},
		{"keys", "rotate"},
		{"keys", "rotate", id, "--in", "5y"},
		{"keys", "rotate", id, "--in", "31d"},
		{"keys", "rotate", id, "--in", "0s"},
		{"keys", "rotate", id, "--in"},
		{"keys", "rename", id},
		{"keys", "permissions", id},
		{"keys", "delete"},
		{"audit", "--limit", "-1"},
		{"audit", "--limit", "many"},
		{"version", "extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			msg := h.fails(2, args...)
			if !strings.Contains(msg, "\nusage: keyrack ") {
				t.Errorf("stderr %q lacks a usage line", msg)
			}
		})
	}
	if len(h.keys()) != 1 {
		t.Error("a usage error changed the keys")
	}
}

func TestUnknownCommandsExitWith2AndSuggest(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate" for "keyrack"`},
		{[]string{"key", "list"}, `unknown command "key" for "keyrack"; did you mean "keys"?`},
		{[]string{"keys", "frobnicate"}, `unknown command "frobnicate" for "keyrack keys"`},
		{[]string{"keys", "lst"}, `did you mean "list"?`},
		{[]string{"members", "ad", "x@y.z"}, `did you mean "add"?`},
		{[]string{"mail", "snd"}, `did you mean "send"?`},
		{[]string{"keys\x1b[2J"}, `unknown command "keys\x1b[2J"`},
	} {
		msg := h.fails(2, tc.args...)
		if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "--help") {
			t.Errorf("keyrack %q: stderr %q, want %q and where to find help", tc.args, msg, tc.want)
		}
	}
}

func TestAGroupAloneListsItsCommandsWithDescriptions(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"keys"}, {"keys", "--help"}, {"help", "keys"}} {
		out := h.ok(args...)
		for _, want := range []string{"list        list the keys (tokens masked)", "rotate      replace a key", "permissions set permissions", "--db", "--org"} {
			if !strings.Contains(out, want) {
				t.Errorf("keyrack %q: help lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		out := h.ok(args...)
		for _, want := range []string{"keys        list, create, rotate", "members", "audit", "resources", "completion", "serve",
			"Environment:", "KEYRACK_DB", "KEYRACK_MASTER_KEY", "KEYRACK_SMTP_ADDR", "KEYRACK_SMTP_TLS", "KEYRACK_ADMIN_KEYS", "NO_COLOR", "--db", "--org", "--version"} {
			if !strings.Contains(out, want) {
				t.Errorf("keyrack %v: help lacks %q:\n%s", args, want, out)
			}
		}
	}
	if out := h.ok("keys", "rotate", "--help"); !strings.Contains(out, "keyrack keys rotate ID [--in now|1h|24h|48h|7d|DURATION | --until-idle IDLE [--max MAX]] [--json]") || strings.Contains(out, "Environment:") {
		t.Errorf("keys rotate --help printed %q", out)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if out := h.ok(args...); out != "keyrack "+Version+"\n" {
			t.Errorf("keyrack %v printed %q", args, out)
		}
	}
}

func TestNoCommandPrintsTheSecretExceptRevealCreateAndRotate(t *testing.T) {
	h := newHarness(t)
	k := h.createJSON("--name", "ci")
	body := k.Token[3:33]
	for _, args := range [][]string{
		{"keys", "list"}, {"keys", "list", "--json"},
		{"keys", "show", k.ID}, {"keys", "show", k.ID, "--json"},
		{"keys", "rename", k.ID, "renamed"},
		{"keys", "permissions", k.ID, "customer=read"},
		{"audit"}, {"audit", "--json"},
	} {
		_, out, errOut := h.run(args...)
		if strings.Contains(out+errOut, body) {
			t.Errorf("keyrack %s printed the secret", strings.Join(args, " "))
		}
	}
}

func TestFlagsMayComeAnywhereAndDoubleDashEndsThem(t *testing.T) {
	h := newHarness(t)
	id := h.only().ID
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"keys", "rename", id, "plain"}, "plain"},
		{[]string{"keys", "rename", "--", id, "-dashed"}, "-dashed"},
		{[]string{"keys", "rename", id, "--", "--json"}, "--json"},
		{[]string{"keys", "rename", "--", id, "--", "x"}, ""}, // three positionals
	}
	for _, tt := range tests {
		code, _, errOut := h.run(tt.args...)
		if tt.want == "" {
			if code != 2 {
				t.Errorf("keyrack %q: exit %d, want 2", tt.args, code)
			}
			continue
		}
		if code != 0 {
			t.Errorf("keyrack %q: exit %d: %s", tt.args, code, errOut)
			continue
		}
		if got := h.only().Name; got != tt.want {
			t.Errorf("keyrack %q: name %q, want %q", tt.args, got, tt.want)
		}
	}
	var k keyJSON
	if err := json.Unmarshal([]byte(h.ok("keys", "show", "--json", id)), &k); err != nil || k.ID != id {
		t.Errorf("flag before the id: %v", err)
	}
}

func TestKeysRotateSaysWhenTheOldKeyStops(t *testing.T) {
	h := newHarness(t)
	old := h.only()
	code, _, errOut := h.run("keys", "rotate", old.ID[:4], "--in", "48h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "rotated " + old.ID + ": the old key works until " + model.FormatTime(t0.Add(48*time.Hour))
	if !strings.HasPrefix(errOut, want) {
		t.Errorf("stderr %q, want it to start with %q", errOut, want)
	}
}

func TestKeysShowRefusesAKeyPastItsExpiry(t *testing.T) {
	h := newHarness(t)
	old := h.only()
	h.ok("keys", "rotate", old.ID, "--in", "1h")
	h.clock.Advance(time.Hour) // due; nothing has retired it yet
	if msg := h.fails(1, "keys", "show", old.ID); !strings.Contains(msg, "has expired") {
		t.Fatalf("show of an expired key: %q", msg)
	}
}
