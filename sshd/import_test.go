package sshd

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	gossh "golang.org/x/crypto/ssh"
)

// runWithInput runs a command without a terminal, with in on its standard
// input, and returns its stderr and exit status.
func runWithInput(t *testing.T, c *gossh.Client, cmd, in string) (stderr string, code int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	defer sess.Close()
	var errb bytes.Buffer
	sess.Stdin, sess.Stderr = strings.NewReader(in), &errb
	var exit *gossh.ExitError
	if err := sess.Run(cmd); errors.As(err, &exit) {
		code = exit.ExitStatus()
	} else if err != nil {
		t.Fatalf("run %q: %v", cmd, err)
	}
	return errb.String(), code
}

// An import over SSH reads the file once, from the session's input (which
// cannot be read twice): a file with a bad last line stores nothing,
// names the line and leaves no spool beside the database; the same file
// without it is imported, and its tokens authenticate.
func TestImportOverSSHReadsItsInputOnceAndRefusesABadFileWhole(t *testing.T) {
	ts := startServer(t)
	c := ts.login(ts.admin)
	const n = 5000 // more than one block of lines
	var good strings.Builder
	for i := range n {
		fmt.Fprintf(&good, `{"value":"%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b","name":"lago %d","permissions":{"invoice":["read"]}}`+"\n", i, i)
	}
	first := fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", 0)
	bad := good.String() + `{"value":"` + first + `","name":"again"}` + "\n"
	stderr, code := runWithInput(t, c, "keys import -", bad)
	if code != 1 || !strings.Contains(stderr, fmt.Sprintf("line %d: the same token as line 1", n+1)) || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr, first) {
		t.Fatalf("the error repeats a token: %q", stderr)
	}
	if sn, _ := ts.st.Keys(); sn.Len() != 1 {
		t.Fatalf("a refused import stored %d keys", sn.Len()-1)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(ts.st.Path()), ".keyrack-import-*")); len(left) != 0 {
		t.Fatalf("the refused import left %v", left)
	}
	stderr, code = runWithInput(t, c, "keys import -", good.String())
	if code != 0 || !strings.Contains(stderr, fmt.Sprintf("imported %s", model.Count(n, "key", ""))) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	tok, _ := model.ParseCredential(fmt.Sprintf("%08x-6b7d-4e21-9a0b-5c8d7e6f1a2b", n-1))
	if k, err := ts.st.Authenticate(tok, time.Now()); err != nil || k.Name != fmt.Sprintf("lago %d", n-1) {
		t.Fatalf("the last line's token: %+v, %v", k, err)
	}
}
