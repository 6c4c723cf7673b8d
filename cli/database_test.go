package cli

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage"
)

// masterKeyText is a valid KEYRACK_MASTER_KEY.
var masterKeyText = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))

// runLocal runs a command line as the local binary does, with env as the
// whole environment and no store given.
func runLocal(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(Env{Actor: "alice", Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}, args)
	return code, out.String(), errOut.String()
}

// writeFile writes a file of the given mode in a fresh directory.
func writeFile(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

func TestBadDatabaseSettingsAreRefusedAndCreateNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	keyFile := writeFile(t, "m.key", masterKeyText+"\n", 0o600)
	openKey := writeFile(t, "open.key", masterKeyText+"\n", 0o644)
	notPEM := writeFile(t, "ca.pem", "not a certificate\n", 0o600)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"url without HOST:PORT", nil, []string{"--db", "etcd://nohost", "keys", "list"}, 2, `--db "etcd://nohost": etcd URL: "nohost" is not HOST:PORT (want etcd://HOST:PORT[,HOST:PORT…][/PREFIX])`},
		{"bad url in KEYRACK_DB", map[string]string{"KEYRACK_DB": "etcd://a:1,b", storage.MasterKeyEnv: masterKeyText}, []string{"keys", "list"}, 1, `KEYRACK_DB "etcd://a:1,b": etcd URL: "b" is not HOST:PORT`},
		{"etcd without a master key", nil, []string{"--db", "etcd://127.0.0.1:2379", "keys", "list"}, 1, "etcd://127.0.0.1:2379 needs the master key, the same on every node: set KEYRACK_MASTER_KEY (base64 of 32 bytes) or give --master-key-file PATH"},
		{"key file open to others", nil, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", openKey, "keys", "list"}, 1, "permissions 0644 for " + openKey + " are too open"},
		{"missing key file", nil, []string{"--db", db, "--master-key-file", filepath.Join(dir, "none.key"), "keys", "list"}, 1, "read master key: open " + filepath.Join(dir, "none.key") + ": no such file or directory"},
		{"key twice", map[string]string{storage.MasterKeyEnv: masterKeyText}, []string{"--db", db, "--master-key-file", keyFile, "keys", "list"}, 2, "--master-key-file and KEYRACK_MASTER_KEY are both given"},
		{"bad KEYRACK_MASTER_KEY", map[string]string{storage.MasterKeyEnv: "c2hvcnQ="}, []string{"--db", "etcd://127.0.0.1:2379", "keys", "list"}, 1, "KEYRACK_MASTER_KEY: decodes to 5 bytes, want 32"},
		{"etcd flag on a file", nil, []string{"--db", db, "--etcd-ca", notPEM, "keys", "create"}, 2, "--etcd-ca applies to an etcd database (--db etcd://HOST:PORT…), not a bbolt file"},
		{"CA that is no certificate", nil, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", keyFile, "--etcd-ca", notPEM, "keys", "list"}, 1, "--etcd-ca " + notPEM + ": no PEM certificate in it"},
		{"missing CA", nil, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", keyFile, "--etcd-ca", filepath.Join(dir, "none.pem"), "keys", "list"}, 1, "--etcd-ca: open " + filepath.Join(dir, "none.pem") + ": no such file or directory"},
		{"cert without key", nil, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", keyFile, "--etcd-cert", notPEM, "keys", "list"}, 2, "--etcd-cert and --etcd-key go together"},
		{"cert that is no certificate", nil, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", keyFile, "--etcd-cert", notPEM, "--etcd-key", notPEM, "keys", "list"}, 1, "--etcd-cert " + notPEM + ", --etcd-key " + notPEM + ": tls: failed to find any PEM data in certificate input"},
		{"password without user", map[string]string{etcdPasswordEnv: "hunter2-secret"}, []string{"--db", "etcd://127.0.0.1:2379", "--master-key-file", keyFile, "keys", "list"}, 1, "KEYRACK_ETCD_PASSWORD is set without KEYRACK_ETCD_USER"},
	} {
		code, out, errOut := runLocal(t, tc.env, tc.args...)
		if code != tc.code || out != "" || !strings.HasPrefix(errOut, "keyrack: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.name, code, out, errOut, tc.code, tc.want)
		}
		if strings.Contains(errOut, "hunter2") || strings.Contains(errOut, masterKeyText) {
			t.Errorf("%s: a secret reached stderr: %q", tc.name, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused commands left %d files in %s", len(entries), dir)
	}
}

func TestEtcdDatabaseResolvesEndpointsTLSAndCredentials(t *testing.T) {
	ca, cert, key := testCertificates(t)
	keyFile := writeFile(t, "m.key", masterKeyText+"\n", 0o600)
	a := newApp(Env{Getenv: func(k string) string {
		return map[string]string{"KEYRACK_DB": "etcd://10.0.0.1:2379,10.0.0.2:2379/acme/", etcdUserEnv: "keyrack", etcdPasswordEnv: "s3cret"}[k]
	}})
	a.masterKeyFile, a.etcdCA, a.etcdCert, a.etcdKey = keyFile, ca, cert, key
	d, err := a.database()
	if err != nil {
		t.Fatal(err)
	}
	o := d.etcd
	if d.path != "" || d.String() != "etcd://10.0.0.1:2379,10.0.0.2:2379/acme/" || strings.Join(o.Endpoints, " ") != "10.0.0.1:2379 10.0.0.2:2379" || o.Prefix != "/acme" {
		t.Errorf("resolved %+v", d)
	}
	if o.Username != "keyrack" || o.Password != "s3cret" || !bytes.Equal(d.masterKey, bytes.Repeat([]byte{7}, 32)) || d.keySource != "in "+keyFile {
		t.Errorf("credentials and key: %q %q %x %q", o.Username, o.Password, d.masterKey, d.keySource)
	}
	if o.TLS == nil || o.TLS.RootCAs == nil || len(o.TLS.Certificates) != 1 {
		t.Errorf("TLS: %+v", o.TLS)
	}
}

func TestFileDatabaseTakesTheMasterKeyFromTheEnvironment(t *testing.T) {
	a := newApp(Env{Getenv: func(k string) string { return map[string]string{storage.MasterKeyEnv: masterKeyText}[k] }})
	a.db = "/srv/keyrack.db"
	d, err := a.database()
	if err != nil || d.path != "/srv/keyrack.db" || d.url != "" || len(d.masterKey) != 32 || d.keySource != "in KEYRACK_MASTER_KEY" {
		t.Errorf("resolved %+v, %v", d, err)
	}
}

// testCertificates writes a self-signed certificate, as the CA and as
// the client certificate, and its key as PEM files, and returns their paths.
func testCertificates(t *testing.T) (ca, cert, key string) {
	t.Helper()
	certPEM, keyPEM := testkit.SelfSignedPEM(t)
	ca = writeFile(t, "ca.pem", string(certPEM), 0o644)
	cert = writeFile(t, "client.pem", string(certPEM), 0o644)
	key = writeFile(t, "client-key.pem", string(keyPEM), 0o600)
	return ca, cert, key
}

func TestServeRefusesABadDatabaseBeforeItStarts(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--db", "etcd://", "serve"}, 2, `--db "etcd://": etcd URL: "" is not HOST:PORT`},
		{[]string{"--db", "etcd://127.0.0.1:2379", "serve"}, 1, "needs the master key"},
		{[]string{"--db", filepath.Join(t.TempDir(), "k.db"), "--etcd-key", "k.pem", "serve"}, 2, "--etcd-key applies to an etcd database"},
	} {
		var out, errOut bytes.Buffer
		code := Run(Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Serve: func(ServeOptions) error {
			t.Errorf("serve %q started", tc.args)
			return nil
		}}, tc.args)
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
	}
}
