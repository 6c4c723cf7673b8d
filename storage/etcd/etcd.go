// Package etcd is the cluster kv.Backend: several keyrack processes share
// one key set in etcd. Reads pin one revision; a write transaction buffers
// its writes and commits them in one etcd Txn that compares the mod
// revisions of what it read, retrying on a conflict; the change stream is
// a Watch from the loaded revision.
package etcd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Options configure Open. Zero values give the defaults.
type Options struct {
	Endpoints          []string // host:port of the members
	Prefix             string   // every key lives under it (default "/keyrack")
	TLS                *tls.Config
	Username, Password string
	DialTimeout        time.Duration // default 5 s
	// Limits must match the server's --max-txn-ops and --max-request-bytes
	// (default 128 and 1.5 MiB, less room for the request's framing).
	Limits kv.Limits
	// PageSize bounds the keys one Range returns during a scan (default
	// 1,000); LoadPageSize during a Load (default 10,000: fewer, larger
	// Ranges load 100,000 keys about twice as fast).
	PageSize, LoadPageSize int
	// ProgressInterval is how often a stream asks for a progress notice,
	// so that its staleness is known while nothing changes (default 500 ms).
	ProgressInterval time.Duration
	// SessionTTL is the election lease, in seconds (default 2).
	SessionTTL int
	// Node names this process as a campaigner (default "keyrack").
	Node string
}

// Backend is a kv.Backend on an etcd cluster.
type Backend struct {
	c      *clientv3.Client
	opts   Options
	base   context.Context // ended by Close: streams and sessions
	cancel context.CancelFunc
	once   sync.Once
}

// Open connects to the cluster and checks that it answers and that the
// user may read under the prefix.
func Open(ctx context.Context, opts Options) (*Backend, error) {
	opts = withDefaults(opts)
	if len(opts.Endpoints) == 0 {
		return nil, errors.New("etcd: no endpoints")
	}
	c, err := clientv3.New(clientv3.Config{
		Endpoints: opts.Endpoints, TLS: opts.TLS, DialTimeout: opts.DialTimeout,
		Username: opts.Username, Password: opts.Password, Logger: zap.NewNop(),
	})
	if err != nil {
		return nil, fmt.Errorf("etcd %s: %w", strings.Join(opts.Endpoints, ","), err)
	}
	cctx, cancel := context.WithTimeout(ctx, opts.DialTimeout)
	defer cancel()
	b := &Backend{c: c, opts: opts}
	if _, err := c.Get(cctx, b.probeKey(), clientv3.WithCountOnly()); err != nil {
		c.Close()
		if errors.Is(err, rpctypes.ErrPermissionDenied) {
			err = fmt.Errorf("%w: user %q needs read and write on the keys under %s/", err, opts.Username, opts.Prefix)
		}
		return nil, fmt.Errorf("etcd %s: %w", strings.Join(opts.Endpoints, ","), err)
	}
	b.base, b.cancel = context.WithCancel(context.Background())
	return b, nil
}

func withDefaults(o Options) Options {
	if o.Prefix == "" {
		o.Prefix = "/keyrack"
	}
	o.Prefix = strings.TrimSuffix(o.Prefix, "/")
	if o.DialTimeout == 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.Limits == (kv.Limits{}) {
		o.Limits = kv.Limits{Ops: 128, Bytes: 1536*1024 - 64*1024}
	}
	if o.PageSize == 0 {
		o.PageSize = 1000
	}
	if o.LoadPageSize == 0 {
		o.LoadPageSize = 10000
	}
	if o.ProgressInterval == 0 {
		o.ProgressInterval = 500 * time.Millisecond
	}
	if o.SessionTTL == 0 {
		o.SessionTTL = 2
	}
	if o.Node == "" {
		o.Node = "keyrack"
	}
	return o
}

// Limits are the server's transaction limits.
func (b *Backend) Limits() kv.Limits { return b.opts.Limits }

// Client is the underlying etcd client, for tests and tools.
func (b *Backend) Client() *clientv3.Client { return b.c }

// Close ends streams and leaderships, then the client. Closing twice is harmless.
func (b *Backend) Close() error {
	var err error
	b.once.Do(func() {
		b.cancel()
		err = b.c.Close()
	})
	return err
}

// closed maps an error after Close to kv.ErrClosed.
func (b *Backend) closed(err error) error {
	if err != nil && b.base.Err() != nil {
		return kv.ErrClosed
	}
	return err
}
