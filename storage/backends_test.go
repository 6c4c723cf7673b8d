package storage

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/storage/etcd"
)

// etcdServer is the package's one embedded etcd, started by TestMain.
var etcdServer *etcdtest.Server

// etcdPrefixes keeps each test's keys apart on the shared server.
var etcdPrefixes atomic.Int64

// testMasterKey seals the secrets of the stores on etcd.
var testMasterKey = []byte("0123456789abcdef0123456789abcdef")

// onBoth runs test on a fresh store on a bbolt file and on a fresh store
// on etcd, as subtests: the domain is written once, and holds on both.
func onBoth(t *testing.T, test func(t *testing.T, s *Store, clk *clock.Fake)) {
	t.Run("bolt", func(t *testing.T) {
		s, clk := openTest(t)
		test(t, s, clk)
	})
	t.Run("etcd", func(t *testing.T) {
		clk := clock.NewFake(t0)
		test(t, openEtcd(t, newEtcdPrefix(), Options{Clock: clk, Org: "Acme"}), clk)
	})
}

// newEtcdPrefix returns a prefix no other test of this run uses.
func newEtcdPrefix() string {
	return fmt.Sprintf("/storage-test-%d-%d", os.Getpid(), etcdPrefixes.Add(1))
}

// openEtcd opens a store on the embedded etcd under prefix, with the test
// master key unless opts has one; it is closed when the test ends.
func openEtcd(t testing.TB, prefix string, opts Options) *Store {
	t.Helper()
	s, err := tryOpenEtcd(t, prefix, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tryOpenEtcd(t testing.TB, prefix string, opts Options) (*Store, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, etcd.Options{Endpoints: []string{etcdServer.Endpoint}, Prefix: prefix, ProgressInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if opts.MasterKey == nil {
		opts.MasterKey = testMasterKey
	}
	opts.Name = "etcd://" + etcdServer.Endpoint + prefix
	return OpenBackend(b, opts)
}
