package api

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// fixture is a server on a real store in a temporary directory, both on
// one fake clock, with a counting wrapper between them.
type fixture struct {
	t     *testing.T
	path  string
	clock *clock.Fake
	store *storage.Store
	count *countingStore
	srv   *Server
	logs  *testkit.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	t.Setenv(storage.MasterKeyEnv, "")
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "keyrack.db"), clock: clock.NewFake(t0), logs: &testkit.Buffer{}}
	f.open()
	t.Cleanup(f.close)
	return f
}

// open opens the store and starts a server on it.
func (f *fixture) open() {
	f.t.Helper()
	st, err := storage.Open(f.path, storage.Options{Clock: f.clock, Org: "Acme"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.store = st
	f.count = &countingStore{Store: st}
	f.srv = newServer(f.t, Options{Store: f.count, Clock: f.clock, FlushEvery: time.Hour,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
}

// close shuts the server down gracefully and closes the store.
func (f *fixture) close() {
	if f.store == nil {
		return
	}
	if err := f.srv.Shutdown(context.Background()); err != nil {
		f.t.Errorf("shutdown: %v", err)
	}
	f.store.Close()
	f.store = nil
}

func newServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s
}

// key creates a key with perms and returns it with its token.
func (f *fixture) key(name string, perms model.Permissions) (model.Key, model.Token) {
	f.t.Helper()
	k, tok, err := f.store.Create("test", name, perms)
	if err != nil {
		f.t.Fatal(err)
	}
	return k, tok
}

// lastUsed reads a key's "last used" time from the database.
func (f *fixture) lastUsed(id string) time.Time {
	f.t.Helper()
	k, err := f.store.Get(id)
	if err != nil {
		f.t.Fatal(err)
	}
	return k.LastUsedAt
}

// auth sends GET /auth as Traefik would, with the token as a Bearer
// credential (none when tok is zero).
func (f *fixture) auth(tok model.Token, method, uri string) *httptest.ResponseRecorder {
	return serveAuthRequest(f.srv, bearer(tok), method, uri)
}

func bearer(tok model.Token) string {
	if tok.IsZero() {
		return ""
	}
	return "Bearer " + tok.Reveal()
}

func serveAuthRequest(s *Server, authorization, method, uri string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "/auth", nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	r.Header.Set("X-Forwarded-Method", method)
	r.Header.Set("X-Forwarded-Uri", uri)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// countingStore counts the calls that reach storage and can fail them.
type countingStore struct {
	Store
	mu         sync.Mutex
	auths      int
	writes     []map[string]time.Time
	writeTimes []time.Time
	failWrites error
}

func (c *countingStore) Authenticate(tok model.Token, now time.Time) (model.Key, error) {
	c.mu.Lock()
	c.auths++
	c.mu.Unlock()
	return c.Store.Authenticate(tok, now)
}

func (c *countingStore) RecordLastUsed(used map[string]time.Time) error {
	c.mu.Lock()
	c.writes = append(c.writes, used)
	c.writeTimes = append(c.writeTimes, time.Now())
	fail := c.failWrites
	c.mu.Unlock()
	if fail != nil {
		return fail
	}
	return c.Store.RecordLastUsed(used)
}

func (c *countingStore) counts() (auths, writes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.auths, len(c.writes)
}

// wantAnswer checks an answer's status, body and content type.
func wantAnswer(t *testing.T, w *httptest.ResponseRecorder, status int, body string) {
	t.Helper()
	if w.Code != status || w.Body.String() != body {
		t.Fatalf("answer %d %q, want %d %q", w.Code, w.Body.String(), status, body)
	}
	if body != "" && w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q, want application/json", w.Header().Get("Content-Type"))
	}
}

const (
	wantUnauthorized = `{"status":401,"error":"Unauthorized"}`
	wantNotMapped    = `{"status":403,"error":"Forbidden","code":"route_not_mapped"}`
)

func wantForbidden(code string) string {
	return `{"status":403,"error":"Forbidden","code":"` + code + `"}`
}
