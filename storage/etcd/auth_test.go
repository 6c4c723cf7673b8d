package etcd_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// authServer is an embedded etcd with authentication on, and a root
// client that grants ranges to the role of user "keyrack".
type authServer struct {
	endpoint string
	root     *clientv3.Client
}

const keyrackUser, keyrackPassword = "keyrack", "s3cret"

// startAuthServer starts its own etcd (the package's shared one has no
// authentication), adds root and keyrack users, the latter with a role
// that holds nothing yet, and turns authentication on.
func startAuthServer(t *testing.T) *authServer {
	t.Helper()
	s, err := etcdtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := rootClient(t, s.Endpoint, "")
	for _, step := range []func() error{
		func() error { _, err := c.UserAdd(ctx, "root", "rootpw"); return err },
		func() error { _, err := c.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := c.RoleAdd(ctx, keyrackUser); return err },
		func() error { _, err := c.UserAdd(ctx, keyrackUser, keyrackPassword); return err },
		func() error { _, err := c.UserGrantRole(ctx, keyrackUser, keyrackUser); return err },
		func() error { _, err := c.AuthEnable(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	return &authServer{endpoint: s.Endpoint, root: rootClient(t, s.Endpoint, "rootpw")}
}

func rootClient(t *testing.T, endpoint, password string) *clientv3.Client {
	t.Helper()
	cfg := clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()}
	if password != "" {
		cfg.Username, cfg.Password = "root", password
	}
	c, err := clientv3.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// grant lets the keyrack user read and write every key that starts with
// from, and nothing else.
func (s *authServer) grant(t testing.TB, from string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	end := string(kv.PrefixEnd([]byte(from)))
	if _, err := s.root.RoleGrantPermission(ctx, keyrackUser, from, end, clientv3.PermissionType(clientv3.PermReadWrite)); err != nil {
		t.Fatal(err)
	}
}

func (s *authServer) open(ctx context.Context, prefix string) (*etcd.Backend, error) {
	return etcd.Open(ctx, etcd.Options{Endpoints: []string{s.endpoint}, Prefix: prefix,
		Username: keyrackUser, Password: keyrackPassword, ProgressInterval: 50 * time.Millisecond})
}

// An operator gives keyrack the range <prefix>/ on a shared etcd: with
// that grant alone the backend opens and does all it does.
func TestConformanceAsAUserGrantedOnlyThePrefixRange(t *testing.T) {
	s := startAuthServer(t)
	n := 0
	kvtest.Run(t, func(t testing.TB) kv.Backend {
		n++
		prefix := fmt.Sprintf("/granted%d", n)
		s.grant(t, prefix+"/")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b, err := s.open(ctx, prefix)
		if err != nil {
			t.Fatalf("open with a grant of %s/ only: %v", prefix, err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	})
}

func TestOpenRefusesAUserNotGrantedThePrefix(t *testing.T) {
	s := startAuthServer(t)
	s.grant(t, "/other/")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := s.open(ctx, "/keyrack")
	if err == nil {
		b.Close()
		t.Fatal("opened a prefix the user may not read")
	}
	if want := `permission denied: user "keyrack" needs read and write on the keys under /keyrack/`; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
}
