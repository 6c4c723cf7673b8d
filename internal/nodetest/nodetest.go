// Package nodetest opens keyrack stores as the nodes of one cluster do:
// several stores on one embedded etcd, sharing a prefix and a master key.
// Only tests import it.
package nodetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/etcdtest"
	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/etcd"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Cluster is one keyrack database on an embedded etcd.
type Cluster struct {
	srv    *etcdtest.Server
	prefix string
	key    []byte
	clock  clock.Clock
}

var clusters atomic.Int64

// Start starts an embedded etcd for the test, closed when it ends (after
// the nodes, whose watches would hold it up).
func Start(t *testing.T, clk clock.Clock) *Cluster {
	t.Helper()
	srv, err := etcdtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	key := make([]byte, 32)
	rand.Read(key)
	return &Cluster{srv: srv, prefix: fmt.Sprintf("/cluster%d-%d", os.Getpid(), clusters.Add(1)), key: key, clock: clk}
}

// Node opens a store on the cluster as node name does, with a 1 s session
// for its elections; it is closed when the test ends.
func (c *Cluster) Node(t *testing.T, name string) (*storage.Store, *etcd.Backend) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := etcd.Open(ctx, etcd.Options{Endpoints: []string{c.srv.Endpoint}, Prefix: c.prefix, SessionTTL: 1, Node: name})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.OpenBackend(b, storage.Options{Clock: c.clock, MasterKey: c.key, Org: "Acme", Node: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, b
}

// RevokeLeader ends the session that holds the election name, as a lease
// that lapses does.
func (c *Cluster) RevokeLeader(ctx context.Context, b *etcd.Backend, name string) error {
	resp, err := b.Client().Get(ctx, c.prefix+"/e/"+name+"/", clientv3.WithFirstCreate()...)
	if err != nil {
		return err
	}
	if len(resp.Kvs) != 1 || resp.Kvs[0].Lease == 0 {
		return fmt.Errorf("no leader of %s", name)
	}
	_, err = b.Client().Revoke(ctx, clientv3.LeaseID(resp.Kvs[0].Lease))
	return err
}
