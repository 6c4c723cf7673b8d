package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/etcd"
)

// etcdDialTimeout bounds connecting to the cluster: a command against
// members that do not answer fails instead of hanging.
const etcdDialTimeout = 5 * time.Second

// open opens the database d names with opts: the bbolt file, or the
// store on the etcd cluster.
func (a *app) open(d database, opts storage.Options) (*storage.Store, error) {
	opts.MasterKey = d.masterKey
	if d.url == "" {
		return storage.Open(d.path, opts)
	}
	if err := d.needKey(); err != nil {
		return nil, err
	}
	d.etcd.Node, opts.Node = a.node, a.node
	b, err := connectEtcd(d)
	if err != nil {
		return nil, err
	}
	opts.Name = d.url
	return storage.OpenBackend(b, opts) // closes b if it fails
}

// connectEtcd connects to the cluster d names, or says it cannot.
func connectEtcd(d database) (*etcd.Backend, error) {
	ctx, cancel := context.WithTimeout(context.Background(), etcdDialTimeout)
	defer cancel()
	o := d.etcd
	o.DialTimeout = etcdDialTimeout
	b, err := etcd.Open(ctx, o)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		// The client says only that time ran out: name what usually causes it.
		hint := "are its members up? a cluster that wants TLS needs --etcd-ca, and --etcd-cert with --etcd-key for client certificates"
		if o.TLS != nil {
			hint = "are its members up, and do they accept this CA and client certificate?"
		}
		return nil, fmt.Errorf("cannot reach the etcd cluster: %w (%s)", err, hint)
	case err != nil:
		return nil, fmt.Errorf("the etcd cluster refused keyrack: %w", err) // authentication, permissions
	}
	return b, nil
}
