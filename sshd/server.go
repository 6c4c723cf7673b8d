// Package sshd is the SSH side of `keyrack serve`: a wish server that lets
// admins in by public key, gives each terminal session its own dashboard
// program and runs the command tree for sessions without a terminal, all
// against the daemon's one store.
package sshd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	gossh "golang.org/x/crypto/ssh"
)

// HostKeyName is the host key's file name in the data directory, used when
// Config.HostKeyPath is empty.
const HostKeyName = "ssh_host_ed25519"

// Config configures a Server.
type Config struct {
	// HostKeyPath names the ed25519 host key; it is created on first start.
	// Default: HostKeyName beside the database.
	HostKeyPath string
	// HostKey, if set, is the host key already loaded (LoadHostKey), used
	// instead of reading HostKeyPath.
	HostKey gossh.Signer
	// AdminKeys are bootstrap keys (authorized_keys lines) that log in as
	// admins whether or not a member owns them.
	AdminKeys []string
	// Store is the daemon's database, shared by every session.
	Store *storage.Store
	// Mailer is the daemon's mail worker, for `mail send` over SSH; other
	// commands leave their mail to it. Nil: mail send says it cannot.
	Mailer cli.Mailer
	// Logger receives one line per login attempt; default slog.Default().
	Logger *slog.Logger
	// Clock drives the dashboards' timers; default the store's clock.
	Clock clock.Clock
	// LoginTimeout bounds the time from connecting to logging in; a client
	// still not logged in is disconnected. Default DefaultLoginTimeout.
	LoginTimeout time.Duration
	// MaxPending and MaxPendingPerAddr bound the connections that have not
	// logged in yet, in all and per client address; more are closed at
	// once. Defaults DefaultMaxPending and DefaultMaxPendingPerAddr.
	MaxPending, MaxPendingPerAddr int
	// MaxConns bounds all SSH connections. Default: half the soft limit on
	// open files, so that the HTTP side always has room.
	MaxConns int
}

// sshShareOfFiles is the part of RLIMIT_NOFILE that SSH connections may
// take by default.
const sshShareOfFiles = 2 // one half

// Server serves the dashboard and the command tree over SSH.
type Server struct {
	srv        *ssh.Server
	store      *storage.Store
	mailer     cli.Mailer
	clock      clock.Clock
	log        *slog.Logger
	hostKey    string // fingerprint, for the startup log line
	refusals   refusals
	emulatePty ssh.PtyHandler
	limits     limits
	// refusedConns counts connections closed over the limits; overCap and
	// loginLog keep their log lines few.
	refusedConns atomic.Uint64
	overCap      *rateLog
	loginLog     *rateLog

	loginTimeout time.Duration

	mu        sync.Mutex
	bootstrap []model.AuthorizedKey
	live      map[*live]struct{}
	terminals map[ssh.Session]ptyTerminal
	ln        *capListener
	closing   bool
	sessions  sync.WaitGroup
	workers   sync.WaitGroup  // the watcher
	stop      context.Context // done when Shutdown begins: dashboards end
	stopNow   context.CancelFunc
}

// New checks cfg, loads or creates the host key and builds the server. It
// refuses to build one that nobody could log in to.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("sshd: no store")
	}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(filepath.Dir(cfg.Store.Path()), HostKeyName)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = cfg.Store.Clock()
	}
	if cfg.LoginTimeout <= 0 {
		cfg.LoginTimeout = DefaultLoginTimeout
	}
	lim := limits{
		pending:        cmp.Or(cfg.MaxPending, DefaultMaxPending),
		pendingPerAddr: cmp.Or(cfg.MaxPendingPerAddr, DefaultMaxPendingPerAddr),
		open:           cmp.Or(cfg.MaxConns, int(min(fileLimit()/sshShareOfFiles, 1<<20))),
	}
	bootstrap, err := parseAdminKeys(cfg.AdminKeys)
	if err != nil {
		return nil, err
	}
	s := &Server{store: cfg.Store, mailer: cfg.Mailer, clock: cfg.Clock, log: cfg.Logger, bootstrap: bootstrap, loginTimeout: cfg.LoginTimeout,
		live: map[*live]struct{}{}, terminals: map[ssh.Session]ptyTerminal{}, emulatePty: emulatedPty(), limits: lim}
	s.overCap = newRateLog(refusalLogEvery, 1, func(n int) {
		s.log.Warn("ssh connections refused over the limits", "count", n, "total", s.refusedConns.Load())
	})
	s.loginLog = newRateLog(refusalLogEvery, refusalLogBurst, func(n int) {
		s.log.Warn("ssh login refusals not logged one by one", "count", n)
	})
	if err := s.requireSomeAdmin(); err != nil {
		return nil, err
	}
	signer := cfg.HostKey
	if signer == nil {
		if signer, err = loadOrCreateHostKey(cfg.HostKeyPath); err != nil {
			return nil, err
		}
	}
	s.hostKey = gossh.FingerprintSHA256(signer.PublicKey())
	s.stop, s.stopNow = context.WithCancel(context.Background())
	s.srv, err = wish.NewServer(
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithPublicKeyAuth(s.checkPublicKey),
		func(srv *ssh.Server) error {
			srv.ServerConfigCallback = s.serverConfig
			srv.ConnectionFailedCallback = s.connectionFailed
			srv.ConnCallback = s.wrapConn
			srv.PtyCallback = s.allowPty
			srv.PtyHandler = s.startPty
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": sessionChannel}
			return nil
		},
		// Middlewares run last to first: the outermost keeps a panic in one
		// session from taking the daemon down with it.
		wish.WithMiddleware(s.dashboardMiddleware, s.commandMiddleware, s.sessionAuthMiddleware, s.trackMiddleware, s.recoverMiddleware),
	)
	if err != nil {
		return nil, fmt.Errorf("sshd: %w", err)
	}
	return s, nil
}
