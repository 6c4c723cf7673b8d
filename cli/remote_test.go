package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// runLine runs an SSH command line as the daemon does.
func (h *harness) runLine(line string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	code := RunLine(Env{Store: h.store, Actor: "bootstrap key SHA256:x", Stdout: &out, Stderr: &errOut, Remote: true}, line)
	return code, out.String(), errOut.String()
}

func TestSSHCommandLinesOfTheSpecStillWork(t *testing.T) {
	h := newHarness(t)
	id := h.only().ID
	for _, line := range []string{
		"keys list --json",
		"keys list",
		"keys show " + id + " --json",
		"keys create --name 'from ssh' --permissions customer=read,invoice=read+write --json",
		`keys create --name "double quoted"`,
		"keys rename " + id + " main",
		"keys permissions " + id + " all",
		"members list --json",
		"members add ada@example.com --role admin --ssh-key '" + pubKeyA + " ada@desk'",
		"audit --json --limit 5",
		"mail --json",
		"version",
		"resources --json",
		"help keys",
		"keys --help",
	} {
		if code, _, errOut := h.runLine(line); code != 0 {
			t.Errorf("ssh host %s: exit %d: %s", line, code, errOut)
		}
	}
	var keys []keyJSON
	_, out, _ := h.runLine("keys list --json")
	if err := json.Unmarshal([]byte(out), &keys); err != nil || len(keys) != 3 {
		t.Fatalf("keys list --json over SSH: %v, %d keys", err, len(keys))
	}
	for _, k := range keys {
		if k.Name == "from ssh" && k.Permissions.String() != "customer=read,invoice=read+write" {
			t.Errorf("quoted name and spec: %+v", k)
		}
	}
}

func TestSSHCommandLinesThatMustBeRefused(t *testing.T) {
	h := newHarness(t)
	for line, want := range map[string]string{
		`keys create --name "unterminated`:        "cannot split the command line",
		"keys create --name 'unterminated":        "cannot split the command line",
		"keys list --db /etc/keyrack.db":          "--db cannot be used over SSH",
		"--org Evil keys list":                    "--org cannot be used over SSH",
		"keys list --create":                      "--create cannot be used over SSH",
		"keys list --master-key-file /etc/k.key":  "--master-key-file cannot be used over SSH",
		"--etcd-ca /etc/ca.pem keys list":         "--etcd-ca cannot be used over SSH",
		"serve --ssh-addr :2222":                  "serve cannot run over SSH",
		"frobnicate --now":                        `unknown command "frobnicate" for "keyrack"`,
		"members add eve@example.com --ssh-key /": "over SSH, give the key itself",
	} {
		code, out, errOut := h.runLine(line)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, "keyrack: ") || !strings.Contains(errOut, want) {
			t.Errorf("ssh host %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", line, code, out, errOut, want)
		}
	}
	if len(h.keys()) != 1 {
		t.Error("a refused SSH command changed the keys")
	}
}

func TestSSHWithoutACommandPrintsTheHelp(t *testing.T) {
	h := newHarness(t)
	code, out, _ := h.runLine("")
	if code != 0 || !strings.Contains(out, "Available Commands:") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
}
