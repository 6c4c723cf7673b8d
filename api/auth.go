package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
)

// Canonical names of the headers /auth reads, so that lookups skip
// canonicalization.
const (
	hdrAuthorization   = "Authorization"
	hdrForwardedMethod = "X-Forwarded-Method" // Traefik, Caddy
	hdrForwardedURI    = "X-Forwarded-Uri"
	hdrOriginalMethod  = "X-Original-Method" // nginx, as the snippet sets it
	hdrOriginalURI     = "X-Original-Uri"
)

// serveAuth answers a proxy's forward-auth request. Any method is
// accepted: nginx's auth_request sends the client's own method.
//
// The method and path come from X-Forwarded-Method and X-Forwarded-Uri or
// from X-Original-Method and X-Original-URI. When a request carries both
// pairs they must agree, and each header must appear once: a proxy sets one
// pair and passes the client's headers through, so a client could
// otherwise name an allowed route in the other pair. A request without a
// usable method and path is refused like an unmapped route (403
// route_not_mapped), not with a 400: nginx turns any answer other than
// 2xx, 401 and 403 into a 500.
func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) {
	raw, _ := bearerToken(r.Header)
	var route Route
	method, uri, ok := forwardedRequest(r.Header)
	if ok {
		route, ok = MatchRoute(method, uri)
	}
	q := routeQuestion(route, ok)
	v := s.decide(r.Context(), raw, q)
	h := w.Header()
	switch v.status {
	case http.StatusOK:
		h["X-Keyrack-Key-Id"] = []string{v.key.ID}
		h["X-Keyrack-Key-Name"] = []string{headerValue(v.key.Name)}
		h["Cache-Control"] = noStore
		h["Content-Length"] = []string{"0"}
		w.WriteHeader(http.StatusOK)
	case http.StatusUnauthorized:
		h["Www-Authenticate"] = []string{`Bearer realm="keyrack"`}
		writeJSON(w, v.status, bodyUnauthorized)
	case http.StatusForbidden:
		// The key id and code as headers let nginx, which drops the
		// body, build the same answer (see docs/PROXIES.md).
		h["X-Keyrack-Key-Id"] = []string{v.key.ID}
		h["X-Keyrack-Code"] = []string{v.denial.code}
		writeJSON(w, v.status, v.denial.body)
	default:
		writeJSON(w, http.StatusServiceUnavailable, bodyUnavailable)
	}
	s.logDecision(r.Context(), "auth", v, q, route.Pattern)
}

// bearerToken returns the credentials of the request's only Authorization
// header if its scheme is Bearer, in any case. It does not check the token.
func bearerToken(h http.Header) (string, bool) {
	vals := h[hdrAuthorization]
	if len(vals) != 1 {
		return "", false
	}
	scheme, cred, ok := strings.Cut(vals[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	cred = strings.Trim(cred, " \t")
	return cred, cred != ""
}

// forwardedRequest returns the client request's method and URI as the
// proxy reports them; see serveAuth for the rules.
func forwardedRequest(h http.Header) (method, uri string, ok bool) {
	method, okMethod := agreed(h, hdrForwardedMethod, hdrOriginalMethod)
	uri, okURI := agreed(h, hdrForwardedURI, hdrOriginalURI)
	return method, uri, okMethod && okURI
}

// agreed returns the value of header a or b; both present must be equal
// and neither may be repeated.
func agreed(h http.Header, a, b string) (string, bool) {
	va, vb := h[a], h[b]
	switch {
	case len(va) > 1 || len(vb) > 1:
		return "", false
	case len(va) == 1 && len(vb) == 1:
		return va[0], va[0] == vb[0]
	case len(va) == 1:
		return va[0], true
	case len(vb) == 1:
		return vb[0], true
	}
	return "", false
}

// logDecision logs an answer at debug level. It names the key id, the
// status, the resource, mode and route pattern and the code, never the
// token nor the raw path (which may carry one in its query string).
func (s *Server) logDecision(ctx context.Context, endpoint string, v verdict, q question, pattern string) {
	if !s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.Int("status", v.status)}
	if v.key.ID != "" {
		attrs = append(attrs, slog.String("key_id", v.key.ID))
	}
	if q.mapped {
		attrs = append(attrs, slog.String("resource", q.resource.String()), slog.String("mode", q.mode.String()))
	}
	if pattern != "" {
		attrs = append(attrs, slog.String("route", pattern))
	}
	if v.denial != nil {
		attrs = append(attrs, slog.String("code", v.denial.code))
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, endpoint, attrs...)
}
