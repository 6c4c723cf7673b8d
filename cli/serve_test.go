package cli

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesWhatItCouldNeverUseBeforeStarting: a bad address or a
// host key path with no directory is refused before serve creates the
// database or anything else.
func TestServeRefusesWhatItCouldNeverUseBeforeStarting(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "host_key")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--ssh-addr", "nonsense"}, 2, `--ssh-addr "nonsense": want HOST:PORT or :PORT`},
		{[]string{"--ssh-addr", ":99999"}, 2, `--ssh-addr ":99999": want HOST:PORT`},
		{[]string{"--http-addr", "127.0.0.1"}, 2, `--http-addr "127.0.0.1": want HOST:PORT`},
		{[]string{"--host-key", missing}, 1, "no directory"},
		{[]string{"--node", "a\x00b"}, 2, "a name of at most 128 printable characters"},
		{[]string{"--node", strings.Repeat("n", 129)}, 2, "at most 128"},
	} {
		var errOut bytes.Buffer
		started := false
		env := Env{Stdout: io.Discard, Stderr: &errOut, Serve: func(ServeOptions) error { started = true; return nil }}
		code := Run(env, append([]string{"serve"}, tc.args...))
		if code != tc.code || started || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("serve %q: exit %d, started %v, stderr %q; want exit %d and %q", tc.args, code, started, errOut.String(), tc.code, tc.want)
		}
	}
}
