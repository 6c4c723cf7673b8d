package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
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

// authenticates checks that every token is accepted by the database name
// names, opened as a command opens it with --master-key-file keyFile.
func authenticates(t *testing.T, name, keyFile string, tokens []string) {
	t.Helper()
	a := newApp(Env{})
	a.masterKeyFile = keyFile
	d, err := a.resolve(name, "--db")
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.open(d, storage.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range tokens {
		tok, err := model.ParseToken(s)
		if err == nil {
			_, err = st.Authenticate(tok, time.Now())
		}
		if err != nil {
			t.Errorf("%s refuses a migrated token: %v", name, err)
		}
	}
}

func TestMigrateFileToEtcdAndBackKeepsEveryToken(t *testing.T) {
	t.Setenv(storage.MasterKeyEnv, "")
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	var tokens []string
	for _, name := range []string{"ci", "billing", "ops"} {
		code, out, errOut := runLocal(t, nil, "--db", src, "keys", "create", "--name", name, "--json")
		var k struct{ Token string }
		if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
			t.Fatalf("keys create: exit %d, %q, %q", code, out, errOut)
		}
		tokens = append(tokens, k.Token)
	}
	if code, _, errOut := runLocal(t, nil, "--db", src, "members", "add", "ada@example.com", "--role", "admin"); code != 0 {
		t.Fatalf("members add: %s", errOut)
	}
	url, prefix := etcdDatabase()

	// File → etcd: the cluster takes the file's <db>.key.
	out := migrated(t, nil, "--from", src, "--to", url)
	if !strings.Contains(out, `organization "My organization", 4 keys, 1 member, `) || !strings.Contains(out, src+".key") {
		t.Errorf("migrate to etcd printed %q", out)
	}
	keyFile := src + ".key"
	authenticates(t, url, keyFile, tokens)

	// A second copy into the same prefix is refused and writes nothing.
	_, before := etcdKeys(t, prefix)
	code, stdout, errOut := runLocal(t, nil, "migrate", "--from", src, "--to", url)
	if code != 1 || stdout != "" || !strings.Contains(errOut, "already holds") {
		t.Errorf("migrate into a non-empty prefix: exit %d, %q, %q", code, stdout, errOut)
	}
	if _, after := etcdKeys(t, prefix); after != before {
		t.Errorf("the refused migrate changed etcd: revision %d → %d", before, after)
	}

	// etcd → file, with the key given: every token still authenticates.
	dst := filepath.Join(dir, "back.db")
	migrated(t, nil, "--master-key-file", keyFile, "--from", url, "--to", dst)
	authenticates(t, dst, keyFile, tokens)

	// A file target that exists is refused and left as it was.
	orig, _ := os.ReadFile(dst)
	code, stdout, errOut = runLocal(t, nil, "migrate", "--from", src, "--to", dst)
	if code != 1 || stdout != "" || !strings.Contains(errOut, "already exists") {
		t.Errorf("migrate onto an existing file: exit %d, %q, %q", code, stdout, errOut)
	}
	if now, _ := os.ReadFile(dst); !bytes.Equal(now, orig) {
		t.Error("the refused migrate changed the existing file")
	}
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
