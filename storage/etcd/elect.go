package etcd

import (
	"context"

	"github.com/keyrack/keyrack/storage/kv"
	"go.etcd.io/etcd/client/v3/concurrency"
)

// Campaign joins the election name with a session of SessionTTL seconds.
// When this process dies or loses etcd, the lease lapses within the TTL
// and the next campaigner takes over; the fence (the leader key and its
// creation revision) stops the old leader's writes.
func (b *Backend) Campaign(ctx context.Context, name string) (kv.Leader, error) {
	if err := checkBucket(name); err != nil {
		return nil, err
	}
	sess, err := concurrency.NewSession(b.c, concurrency.WithTTL(b.opts.SessionTTL), concurrency.WithContext(b.base))
	if err != nil {
		return nil, b.closed(err)
	}
	e := concurrency.NewElection(sess, b.opts.Prefix+"/e/"+name+"/")
	if err := e.Campaign(ctx, b.opts.Node); err != nil {
		sess.Close()
		return nil, b.closed(err)
	}
	return &leader{sess: sess, e: e, fence: kv.Fence{Key: e.Key(), Rev: e.Rev()}}, nil
}

// leader is a won election and the session that holds it.
type leader struct {
	sess  *concurrency.Session
	e     *concurrency.Election
	fence kv.Fence
}

func (l *leader) Fence() kv.Fence       { return l.fence }
func (l *leader) Done() <-chan struct{} { return l.sess.Done() }

// Resign deletes the leader key and ends the session.
func (l *leader) Resign(ctx context.Context) error {
	err := l.e.Resign(ctx)
	if cerr := l.sess.Close(); err == nil {
		err = cerr
	}
	return err
}
