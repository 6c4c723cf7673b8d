package bolt

import (
	"context"
	"sync"

	"github.com/keyrack/keyrack/storage/kv"
)

// elections are in-process: the file lock already keeps other processes
// out, so a leader only has to be unique among this process's campaigners.
type elections struct {
	mu     sync.Mutex
	seats  map[string]chan struct{} // name → a one-slot semaphore
	held   map[string]*leader       // name → its leader
	serial int64
	closed chan struct{}
}

func newElections() *elections {
	return &elections{seats: map[string]chan struct{}{}, held: map[string]*leader{}, closed: make(chan struct{})}
}

// Campaign waits for the seat of name.
func (b *Backend) Campaign(ctx context.Context, name string) (kv.Leader, error) {
	e := b.leaders
	e.mu.Lock()
	seat, ok := e.seats[name]
	if !ok {
		seat = make(chan struct{}, 1)
		e.seats[name] = seat
	}
	e.mu.Unlock()
	select {
	case seat <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.closed:
		return nil, kv.ErrClosed
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.serial++
	l := &leader{e: e, seat: seat, fence: kv.Fence{Key: "bolt/election/" + name, Rev: e.serial}, name: name, done: make(chan struct{})}
	e.held[name] = l
	return l, nil
}

// check fails with kv.ErrFenced unless every fence's leader still leads.
func (e *elections) check(fences []kv.Fence) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, f := range fences {
		if !e.holds(f) {
			return kv.ErrFenced
		}
	}
	return nil
}

func (e *elections) holds(f kv.Fence) bool {
	for _, l := range e.held {
		if l.fence == f {
			return true
		}
	}
	return false
}

func (e *elections) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, l := range e.held {
		l.end()
		delete(e.held, name)
	}
	select {
	case <-e.closed:
	default:
		close(e.closed)
	}
}

// leader is a held seat.
type leader struct {
	e     *elections
	seat  chan struct{}
	name  string
	fence kv.Fence
	done  chan struct{}
	once  sync.Once
}

func (l *leader) Fence() kv.Fence       { return l.fence }
func (l *leader) Done() <-chan struct{} { return l.done }

// Resign frees the seat for the next campaigner.
func (l *leader) Resign(context.Context) error {
	l.e.mu.Lock()
	defer l.e.mu.Unlock()
	if l.e.held[l.name] == l {
		delete(l.e.held, l.name)
		l.end()
	}
	return nil
}

func (l *leader) end() {
	l.once.Do(func() {
		close(l.done)
		<-l.seat
	})
}
