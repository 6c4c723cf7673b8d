package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/etcdtest"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// etcdServer is the package's one embedded etcd, started by TestMain.
var etcdServer *etcdtest.Server

func TestMain(m *testing.M) {
	os.Exit(etcdtest.Main(m, func(s *etcdtest.Server) { etcdServer = s }))
}

// etcdPrefixes keeps each test's database apart on the shared server.
var etcdPrefixes atomic.Int64

// etcdDatabase returns a --db URL of an empty prefix of the embedded etcd,
// and the prefix.
func etcdDatabase() (url, prefix string) {
	prefix = fmt.Sprintf("/cli%d", etcdPrefixes.Add(1))
	return "etcd://" + etcdServer.Endpoint + prefix, prefix
}

// etcdKeys counts the keys under prefix, and returns the cluster's revision.
func etcdKeys(t *testing.T, prefix string) (n, rev int64) {
	t.Helper()
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{etcdServer.Endpoint}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := c.Get(ctx, prefix+"/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		t.Fatal(err)
	}
	return resp.Count, resp.Header.Revision
}

func TestACommandOnAnEmptyEtcdPrefixCreatesNothing(t *testing.T) {
	url, prefix := etcdDatabase()
	keyFile := writeFile(t, "m.key", masterKeyText+"\n", 0o600)
	code, out, errOut := runLocal(t, nil, "--db", url, "--master-key-file", keyFile, "keys", "show", "abc")
	if code != 1 || out != "" || !strings.Contains(errOut, "no database at "+url) {
		t.Errorf("keys show on an empty prefix: exit %d, %q, %q", code, out, errOut)
	}
	if n, _ := etcdKeys(t, prefix); n != 0 {
		t.Errorf("the refused command wrote %d keys under %s", n, prefix)
	}
	if code, _, errOut := runLocal(t, nil, "--db", url, "--master-key-file", keyFile, "keys", "create", "--name", "first"); code != 0 {
		t.Fatalf("keys create on an empty prefix: %s", errOut)
	}
	if n, _ := etcdKeys(t, prefix); n == 0 {
		t.Error("keys create made no database")
	}
}
