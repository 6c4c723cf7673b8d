package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/storage"
)

// migrated runs migrate and fails the test unless it succeeds.
func migrated(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	code, out, errOut := runLocal(t, env, append([]string{"migrate"}, args...)...)
	if code != 0 || !strings.HasPrefix(out, "migrated ") {
		t.Fatalf("migrate %q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

func TestMigrateFileToFileWritesTheSameKeyFile(t *testing.T) {
	t.Setenv(storage.MasterKeyEnv, "")
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	if code, _, errOut := runLocal(t, nil, "--db", src, "keys", "list", "--create"); code != 0 {
		t.Fatal(errOut)
	}
	out := migrated(t, nil, "--from", src, "--to", dst)
	want, _ := os.ReadFile(src + ".key")
	got, err := os.ReadFile(dst + ".key")
	if err != nil || !bytes.Equal(got, want) || !strings.Contains(out, dst+".key, a copy of "+src+".key") {
		t.Errorf("key file: %v, same %v; printed %q", err, bytes.Equal(got, want), out)
	}
	if info, err := os.Stat(dst + ".key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v %v", info.Mode(), err)
	}
}
