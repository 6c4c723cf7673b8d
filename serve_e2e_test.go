package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// servedBinary runs `keyrack serve` on loopback ports until the test ends
// and returns its SSH address and a client key it accepts.
func servedBinary(t *testing.T, db string) (addr string, signer gossh.Signer) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, _ = gossh.NewSignerFromKey(priv)
	sshPub, _ := gossh.NewPublicKey(pub)
	cmd := exec.Command(binary, "--db", db, "serve", "--ssh-addr", "127.0.0.1:0", "--http-addr", "",
		"--admin-key", strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub))))
	cmd.Env = append(os.Environ(), "KEYRACK_MASTER_KEY=", "KEYRACK_SMTP_ADDR=", "KEYRACK_ADMIN_KEYS=")
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	lines := bufio.NewScanner(logs)
	for lines.Scan() {
		if line := lines.Text(); strings.Contains(line, "keyrack serve started") {
			_, rest, _ := strings.Cut(line, " ssh=")
			addr, _, _ = strings.Cut(rest, " ")
			go io.Copy(io.Discard, logs)
			return addr, signer
		}
	}
	t.Fatal("serve ended before it started")
	return "", nil
}

// overSSH runs one command line over SSH without a terminal.
func overSSH(t *testing.T, addr string, signer gossh.Signer, line string) result {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "admin", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	code := 0
	if err := s.Run(line); err != nil {
		ee, ok := err.(*gossh.ExitError)
		if !ok {
			t.Fatalf("ssh %s: %v", line, err)
		}
		code = ee.ExitStatus()
	}
	return result{out.String(), errb.String(), code}
}

func TestServeOverSSHAndTheLockHint(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	addr, signer := servedBinary(t, db)
	_, port, _ := net.SplitHostPort(addr)

	r := overSSH(t, addr, signer, "keys list --json")
	var keys []struct{ ID, Name string }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &keys) != nil || len(keys) != 1 || keys[0].Name != "Default" {
		t.Fatalf("keys list --json over SSH: %+v", r)
	}
	if r := overSSH(t, addr, signer, `keys create --name "unterminated`); r.code != 2 || !strings.Contains(r.stderr, "cannot split") {
		t.Errorf("unterminated quote over SSH: %+v", r)
	}
	if r := overSSH(t, addr, signer, `keys create --name 'two words' --json`); r.code != 0 || !strings.Contains(r.stdout, `"name": "two words"`) {
		t.Errorf("quoted name over SSH: %+v", r)
	}

	local := keyrack(t, db, "keys", "list")
	prefix, hint := "keyrack: database "+db+" is in use by keyrack serve (pid ", "; use ssh -p "+port+" localhost)\n"
	if local.code != 1 || !strings.HasPrefix(local.stderr, prefix) || !strings.HasSuffix(local.stderr, hint) {
		t.Errorf("local command while serve runs: %+v, want %q…%q", local, prefix, hint)
	}
}

func TestServeFlagErrorsNameTheFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	r := keyrack(t, db, "serve", "--smtp-addr", "nonsense", "--ssh-addr", "127.0.0.1:0")
	if r.code != 2 || !strings.Contains(r.stderr, `--smtp-addr "nonsense"`) || strings.Contains(r.stderr, "KEYRACK_SMTP_ADDR") {
		t.Errorf("serve --smtp-addr nonsense: %+v", r)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a refused serve created the database")
	}
	if r := keyrack(t, db, "serve", "--last-used-flush", "0s"); r.code != 2 || !strings.Contains(r.stderr, "--last-used-flush") {
		t.Errorf("serve --last-used-flush 0s: %+v", r)
	}
}
