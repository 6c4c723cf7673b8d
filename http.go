package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/keyrack/keyrack/api"
	"github.com/keyrack/keyrack/storage"
)

// startHTTP starts serve's HTTP side on addr: forward auth (GET /auth),
// POST /v1/verify and GET /healthz, with "last used" times written to st
// every flushEvery. It loads st's caches first, so that no request waits
// on a load and /healthz answers from st.Ready. The returned shutdown stops accepting, lets requests
// finish until its context ends and flushes "last used" one last time; it
// must run before st is closed.
func startHTTP(ctx context.Context, st *storage.Store, addr string, flushEvery time.Duration, log *slog.Logger) (shutdown func(context.Context) error, err error) {
	if err := st.Preload(); err != nil {
		return nil, err
	}
	srv, err := api.New(api.Options{Store: st, Clock: st.Clock(), Logger: log, FlushEvery: flushEvery, Ready: st.Ready})
	if err != nil {
		return nil, err
	}
	st.SetLastSeen(srv.LastSeen) // until-idle rotations judge quiet from memory
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		srv.Shutdown(ctx)
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String())
	warnIfExposed(ln.Addr(), log)
	go func() {
		if err := srv.Serve(ln); err != nil {
			log.Error("http server stopped", "err", err)
		}
	}()
	return srv.Shutdown, nil
}

// warnIfExposed logs once when the HTTP side listens beyond loopback:
// whoever reaches it can test tokens, so it belongs behind a proxy.
func warnIfExposed(addr net.Addr, log *slog.Logger) {
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Warn("the HTTP side listens beyond this machine: anyone who reaches it can test tokens; keep it on loopback behind a proxy (docs/PROXIES.md)", "addr", addr.String())
	}
}
