package api

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// clusterStore's caches still let the key in; the database says it was
// revoked, or does not answer.
type clusterStore struct {
	fixedStore
	age       atomic.Int64 // nanoseconds since the caches were last proven current
	directErr atomic.Pointer[error]
	direct    atomic.Int32
}

func (c *clusterStore) Freshness() (time.Duration, bool) { return time.Duration(c.age.Load()), true }

func (c *clusterStore) AuthenticateDirect(ctx context.Context, _ model.Token, _ time.Time) (model.Key, error) {
	c.direct.Add(1)
	if _, ok := ctx.Deadline(); !ok {
		return model.Key{}, errors.New("direct read without a deadline")
	}
	return model.Key{}, *c.directErr.Load()
}

func TestStaleCachesFailClosed(t *testing.T) {
	tok, _ := model.GenerateToken(strings.NewReader(strings.Repeat("z", 200)))
	st := &clusterStore{fixedStore: fixedStore{key: model.Key{ID: "k1", Name: "ci", Permissions: model.AllPermissions()}}}
	revoked := error(storage.ErrUnauthorized)
	st.directErr.Store(&revoked)
	s := newServer(t, Options{Store: st})
	health := func() string {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
		if w.Code != 200 {
			t.Fatalf("healthz %d %q, want 200", w.Code, w.Body)
		}
		return w.Body.String()
	}

	st.age.Store(int64(500 * time.Millisecond))
	if w := serveAuthRequest(s, bearer(tok), "GET", "/api/v1/customers"); w.Code != 200 || st.direct.Load() != 0 {
		t.Fatalf("fresh caches: %d with %d direct reads, want 200 from the caches", w.Code, st.direct.Load())
	}
	if h := health(); h != "ok" {
		t.Fatalf("healthz with fresh caches %q, want ok", h)
	}

	st.age.Store(int64(3 * time.Second))
	if w := serveAuthRequest(s, bearer(tok), "GET", "/api/v1/customers"); w.Code != 401 || st.direct.Load() != 1 {
		t.Fatalf("stale caches, key revoked in the database: %d with %d direct reads, want 401 from one direct read", w.Code, st.direct.Load())
	}
	if h := health(); !strings.HasPrefix(h, "ok: answering /auth from direct reads") || !strings.Contains(h, "3s") {
		t.Fatalf("healthz with stale caches %q, want it to say /auth answers from direct reads and since when", h)
	}

	down := errors.New("etcdserver: request timed out")
	st.directErr.Store(&down)
	w := serveAuthRequest(s, bearer(tok), "GET", "/api/v1/customers")
	wantAnswer(t, w, 503, `{"status":503,"error":"Service Unavailable"}`)
}
