package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
)

// DefaultFlushEvery is how often "last used" times reach the database when
// Options.FlushEvery is zero.
const DefaultFlushEvery = 5 * time.Second

// Limits of the HTTP server. A forward-auth request carries the client's
// headers, so the header limit is generous; its body is never read.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 10 * time.Second
	idleTimeout       = 2 * time.Minute // proxies keep connections to keyrack open
	maxHeaderBytes    = 64 << 10
)

// Store is what the HTTP side needs from storage: *storage.Store satisfies it.
type Store interface {
	// Authenticate returns the key a token belongs to if it is usable at now,
	// or an error wrapping storage.ErrUnauthorized.
	Authenticate(tok model.Token, now time.Time) (model.Key, error)
	// RecordLastUsed writes "last used" times in one transaction.
	RecordLastUsed(used map[string]time.Time) error
	// RecordUsage adds per-key hourly request counts in one transaction.
	RecordUsage(hours []model.UsageHour) error
}

// Options configure New. Store is required; the rest have defaults.
type Options struct {
	Store      Store
	Clock      clock.Clock   // default clock.Real
	Logger     *slog.Logger  // default: discard
	FlushEvery time.Duration // default DefaultFlushEvery
	// Ready reports whether the node can answer /auth from memory (caches
	// loaded, store readable): nil when it can, else why not. GET /healthz
	// answers 200 or 503 from it. Default: always ready.
	Ready func() error
}

// Server answers forward-auth and verification requests and keeps the keys'
// "last used" times. Create it with New and end it with Shutdown.
type Server struct {
	store      Store
	clock      clock.Clock
	log        *slog.Logger
	flushEvery time.Duration
	ready      func() error
	used       lastUsed
	http       *http.Server

	flushMu  sync.Mutex // one write of "last used" at a time, in order
	stop     chan struct{}
	stopOnce sync.Once
	flushed  chan struct{} // closed when the flusher has ended
}

// New checks the route table, builds a server and starts its "last used"
// flusher, which runs until Shutdown.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("api: no store")
	}
	if _, err := Routes(); err != nil {
		return nil, fmt.Errorf("api: route table: %w", err)
	}
	s := &Server{
		store:      opts.Store,
		clock:      opts.Clock,
		log:        opts.Logger,
		flushEvery: opts.FlushEvery,
		ready:      opts.Ready,
		used:       newLastUsed(),
		stop:       make(chan struct{}),
		flushed:    make(chan struct{}),
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.flushEvery <= 0 {
		s.flushEvery = DefaultFlushEvery
	}
	if s.ready == nil {
		s.ready = func() error { return nil }
	}
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	go s.runFlusher()
	return s, nil
}

// Handler routes keyrack's endpoints: GET /auth (any method, since nginx
// sends the client's), POST /v1/verify and GET /healthz.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth":
			s.serveAuth(w, r)
		case "/v1/verify":
			s.serveVerify(w, r)
		case "/healthz":
			s.serveHealth(w, r)
		default:
			writeJSON(w, http.StatusNotFound, bodyNotFound)
		}
	})
}

// Serve accepts connections on ln until Shutdown, with the server's
// timeouts and header limit. It returns nil once Shutdown has begun.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections, waits for the requests in flight
// (until ctx ends, then closes the rest), stops the flusher and writes the
// pending "last used" times. It may be called more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("drain requests: %w", err), s.http.Close())
	}
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.flushed
	return errors.Join(err, s.Flush())
}
