package sshd

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestKeysListJSONOverCommandSession(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	out, errOut, code := run(t, c, "keys list --json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var keys []struct {
		ID, Name, Status string
	}
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(keys) != 1 || keys[0].Name != "Default" || keys[0].Status != "active" {
		t.Errorf("keys %+v, want the Default key", keys)
	}
}

func TestUnknownCommandFails(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	_, errOut, code := run(t, c, "frobnicate --now")
	if code == 0 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestServeIsRefusedOverSSH(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	_, errOut, code := run(t, c, "serve --ssh-addr :2222")
	if code == 0 || !strings.Contains(errOut, "serve cannot run over SSH") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestCommandErrorsReachStderrWithStatus(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	out, errOut, code := run(t, c, "keys delete nosuchkey")
	if code != 1 || out != "" || !strings.HasPrefix(errOut, "keyrack: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCommandsCannotReadServerFiles(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	_, errOut, code := run(t, c, "members add eve@example.com --role admin --ssh-key "+ts.st.Path()+".key")
	if code == 0 || !strings.Contains(errOut, "over SSH") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestCommandNameKeepsArgumentsOutOfTheLog(t *testing.T) {
	for args, want := range map[string]string{
		"keys list --json":  "keys list",
		"keys reveal abc":   "keys reveal",
		"kr_SECRETSECRET":   "…",
		"":                  "",
		"members add x@y.z": "members add",
	} {
		if got := commandName(strings.Fields(args)); got != want {
			t.Errorf("commandName(%q) = %q, want %q", args, got, want)
		}
	}
}
