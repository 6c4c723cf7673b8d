package etcd_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/keyrack/keyrack/storage/kv/kvtest"
)

var _ kv.Backend = (*etcd.Backend)(nil)

// server is the package's one embedded etcd, started by TestMain.
var server *etcdtest.Server

func TestMain(m *testing.M) {
	os.Exit(etcdtest.Main(m, func(s *etcdtest.Server) { server = s }))
}

// prefixes keeps each test's keys apart on the shared server.
var prefixes atomic.Int64

// open connects to the embedded server, or to the etcd named by
// KEYRACK_TEST_ETCD (host:port), to run the same tests on a real one.
func open(t testing.TB, opts etcd.Options) *etcd.Backend {
	t.Helper()
	opts.Endpoints = []string{server.Endpoint}
	if ep := os.Getenv("KEYRACK_TEST_ETCD"); ep != "" {
		opts.Endpoints = []string{ep}
	}
	if opts.Prefix == "" {
		opts.Prefix = fmt.Sprintf("/t%d-%d", os.Getpid(), prefixes.Add(1))
	}
	if opts.ProgressInterval == 0 {
		opts.ProgressInterval = 50 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t testing.TB) kv.Backend { return open(t, etcd.Options{}) })
}
