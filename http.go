package main

import (
	"log/slog"
	"net"

	"github.com/keyrack/keyrack/api"
)

// startHTTP serves forward auth (GET /auth), POST /v1/verify and GET
// /healthz on the HTTP port, with "last used" times written to the store
// every --last-used-flush. It loads the store's caches first, so that no
// request waits on a load and /healthz answers from the store's Ready;
// until then connections wait in the port's queue.
func (d *daemon) startHTTP() error {
	st, log := d.store, d.log.With("component", "http")
	if err := st.Preload(); err != nil {
		return err
	}
	srv, err := api.New(api.Options{Store: st, Clock: st.Clock(), Logger: log, FlushEvery: d.o.LastUsedFlush, Ready: st.Ready})
	if err != nil {
		return err
	}
	d.http = srv
	st.SetLastSeen(srv.LastSeen) // until-idle rotations judge quiet from memory
	log.Info("listening", "addr", d.httpLn.Addr().String())
	warnIfExposed(d.httpLn.Addr(), log)
	go func() {
		if err := srv.Serve(d.httpLn); err != nil {
			log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// warnIfExposed logs once when the HTTP side listens beyond loopback:
// whoever reaches it can test tokens, so it belongs behind a proxy.
func warnIfExposed(addr net.Addr, log *slog.Logger) {
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Warn("the HTTP side listens beyond this machine: anyone who reaches it can test tokens; keep it on loopback behind a proxy (docs/PROXIES.md)", "addr", addr.String())
	}
}
