package api

import (
	"net/http"

	"github.com/keyrack/keyrack/model"
)

// serveHealth answers GET /healthz: 200 "ok" when the node is ready, 503
// "not ready: REASON" when it is not, so that a load balancer sends /auth
// only to nodes that answer from memory. A ready node whose caches have
// not heard from the database for a while says so ("ok: answering /auth
// from direct reads: …").
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header()["Allow"] = []string{"GET, HEAD"}
		writeJSON(w, http.StatusMethodNotAllowed, bodyMethodNotAllowed)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["Cache-Control"] = noStore
	status, body := http.StatusOK, "ok"
	if err := s.ready(); err != nil {
		status, body = http.StatusServiceUnavailable, "not ready: "+model.Printable(err.Error())
	} else if stale := s.staleness(); stale != "" {
		body = "ok: " + stale
	}
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write([]byte(body))
	}
}
