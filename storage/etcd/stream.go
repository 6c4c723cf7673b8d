package etcd

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Changes watches the records from revision after+1 on. The stream asks
// for a progress notice every ProgressInterval, so Heard ages only when
// etcd stops answering: a resumed watch reports no error, so its age is
// the only sign of a stale stream. A member cut off from the others still
// answers progress requests, so each tick also makes a quorum read: Heard
// is the older of the last notice and the last read a quorum answered.
func (b *Backend) Changes(ctx context.Context, after int64) (kv.Stream, error) {
	if b.base.Err() != nil {
		return nil, kv.ErrClosed
	}
	wctx, cancel := context.WithCancel(b.base)
	s := &stream{out: make(chan kv.Commit, 64), done: make(chan struct{}), cancel: cancel}
	s.heard(after)
	s.quorum.Store(time.Now().UnixNano())
	wch := b.c.Watch(wctx, b.dataPrefix(), clientv3.WithPrefix(), clientv3.WithRev(after+1),
		clientv3.WithProgressNotify(), clientv3.WithCreatedNotify())
	go s.run(b, wch)
	go s.askProgress(wctx, b)
	return s, nil
}

// stream turns watch responses into commits.
type stream struct {
	out     chan kv.Commit
	done    chan struct{} // closed when run ends; err then says why
	err     error
	cancel  context.CancelFunc
	lastRev atomic.Int64
	lastAt  atomic.Int64 // unix nanoseconds
	quorum  atomic.Int64 // unix nanoseconds of the last read a quorum answered
	once    sync.Once
}

func (s *stream) heard(rev int64) {
	s.lastRev.Store(rev)
	s.lastAt.Store(time.Now().UnixNano())
}

// proveQuorum makes a linearizable read, which only a member in touch with
// a quorum can answer, and notes when it succeeded.
func (s *stream) proveQuorum(wctx context.Context, b *Backend) {
	ctx, cancel := context.WithTimeout(wctx, b.opts.ProgressInterval)
	defer cancel()
	if _, err := b.c.Get(ctx, b.probeKey(), clientv3.WithCountOnly()); err == nil {
		s.quorum.Store(time.Now().UnixNano())
	}
}

func (s *stream) run(b *Backend, wch clientv3.WatchChan) {
	defer close(s.done)
	s.err = kv.ErrClosed
	for resp := range wch {
		if resp.CompactRevision != 0 {
			s.err = kv.ErrCompacted
			return
		}
		if err := resp.Err(); err != nil {
			s.err = err
			return
		}
		rev := s.lastRev.Load()
		for _, c := range commits(b, resp.Events) {
			select {
			case s.out <- c:
			case <-b.base.Done():
				return
			}
			rev = c.Revision
		}
		if resp.IsProgressNotify() && resp.Header.Revision > rev {
			rev = resp.Header.Revision // every event up to it has been sent
			select {
			case s.out <- kv.Commit{Revision: rev}: // for a writer whose commit touched no record
			default: // the reader is behind: later commits will tell
			}
		}
		s.heard(rev)
	}
}

// commits groups events by revision: one etcd Txn, one revision.
func commits(b *Backend, events []*clientv3.Event) []kv.Commit {
	var out []kv.Commit
	for _, ev := range events {
		bucket, key, ok := b.split(ev.Kv.Key)
		if !ok {
			continue
		}
		ch := kv.Change{Bucket: bucket, Key: key, Deleted: ev.Type == clientv3.EventTypeDelete}
		if !ch.Deleted {
			ch.Value = value(ev.Kv)
		}
		if n := len(out); n == 0 || out[n-1].Revision != ev.Kv.ModRevision {
			out = append(out, kv.Commit{Revision: ev.Kv.ModRevision})
		}
		out[len(out)-1].Changes = append(out[len(out)-1].Changes, ch)
	}
	return out
}

// askProgress requests progress notices on the watch's own stream (the
// request must carry a context derived from the watch's).
func (s *stream) askProgress(wctx context.Context, b *Backend) {
	t := time.NewTicker(b.opts.ProgressInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.proveQuorum(wctx, b)
			b.c.RequestProgress(wctx)
		case <-wctx.Done():
			return
		case <-s.done:
			return
		}
	}
}

func (s *stream) Next(ctx context.Context) (kv.Commit, error) {
	select {
	case c := <-s.out:
		return c, nil
	default:
	}
	select {
	case c := <-s.out:
		return c, nil
	case <-s.done:
		select {
		case c := <-s.out:
			return c, nil
		default:
			return kv.Commit{}, s.err
		}
	case <-ctx.Done():
		return kv.Commit{}, ctx.Err()
	}
}

func (s *stream) Heard() (int64, time.Time) {
	return s.lastRev.Load(), time.Unix(0, min(s.lastAt.Load(), s.quorum.Load()))
}

func (s *stream) Close() error {
	s.once.Do(s.cancel)
	return nil
}
