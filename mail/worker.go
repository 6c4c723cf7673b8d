package mail

import (
	"context"
	"crypto/rand"
	"log/slog"
	"sync"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// Store is what the worker needs from storage (*storage.Store has it).
type Store interface {
	PendingMails() ([]model.Notification, error)
	MarkSent(id string, at time.Time) error
	MarkFailed(id, errMsg string, next time.Time) error
	MarkWaiting(id, reason string) error
	PruneSent() error
	ClaimMails(ids []string, claimer string, until time.Time) ([]string, error)
	ReleaseMails(ids []string, claimer string) error
	Watch() *storage.Subscription
}

// storeRetry is how long Run waits after storage itself failed.
const storeRetry = 5 * time.Second

// Worker delivers the outbox. Run keeps delivering in the background;
// DeliverNow delivers once, for short-lived commands. Both may be used on
// one Worker: a mutex makes sure no entry is sent by two passes at once,
// and each pass claims what it sends (ClaimMails), so that workers of
// other processes sharing the outbox (etcd) send none of it too.
type Worker struct {
	st      Store
	cfg     Config
	clk     clock.Clock
	log     *slog.Logger
	mu      *sync.Mutex
	claimer string // names this worker's claims
}

// New checks cfg (see Config.Check) and returns a worker for st. An empty
// cfg is valid: mail then waits in the outbox with the reason "no SMTP
// server configured". clk and log may be nil (real clock, no logging).
func New(st Store, cfg Config, clk clock.Clock, log *slog.Logger) (*Worker, error) {
	cfg, err := cfg.Check()
	if err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{st: st, cfg: cfg, clk: clk, log: log, mu: new(sync.Mutex), claimer: rand.Text()}, nil
}

// For returns a worker that delivers through st (a leader's fenced store:
// a deposed leader then claims and records nothing), sharing w's
// configuration, its lock and its claims.
func (w *Worker) For(st Store) *Worker {
	c := *w
	c.st = st
	return &c
}

// Run delivers due mail until ctx ends or the store closes. It wakes when
// storage changes (new mail) and on a timer set to the earliest retry;
// with nothing to retry it sleeps without a timer, so an outbox that
// cannot be delivered (no SMTP server) costs nothing.
func (w *Worker) Run(ctx context.Context) error {
	sub := w.st.Watch()
	defer sub.Close()
	for {
		wait := time.Duration(-1)
		out, err := w.pass(ctx, false)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			w.log.Error("mail outbox", "err", err)
			wait = storeRetry
		case !out.next.IsZero():
			wait = max(out.next.Sub(w.clk.Now()), 0)
		}
		if !clock.Wait(ctx, w.clk, wait, sub.C()) {
			return ctx.Err()
		}
	}
}
