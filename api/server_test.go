package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyrack/keyrack/storage"
)

func TestHealthzAndUnknownPaths(t *testing.T) {
	s := newServer(t, Options{Store: fixedStore{}})
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/healthz", 200, "ok"},
		{"HEAD", "/healthz", 200, ""},
		{"POST", "/healthz", 405, `{"status":405,"error":"Method Not Allowed"}`},
		{"GET", "/v1/verify", 405, `{"status":405,"error":"Method Not Allowed"}`},
		{"GET", "/", 404, `{"status":404,"error":"Not Found"}`},
		{"GET", "/auth/", 404, `{"status":404,"error":"Not Found"}`},
		{"GET", "/api/v1/customers", 404, `{"status":404,"error":"Not Found"}`},
	} {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.status || w.Body.String() != tc.body {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, w.Code, w.Body, tc.status, tc.body)
		}
	}
}

func TestServerIsHardened(t *testing.T) {
	s := newServer(t, Options{Store: fixedStore{}})
	h := s.http
	if h.ReadHeaderTimeout <= 0 || h.ReadTimeout <= 0 || h.WriteTimeout <= 0 || h.IdleTimeout <= 0 || h.MaxHeaderBytes <= 0 {
		t.Fatalf("timeouts and header limit must all be set: %+v", h)
	}
	if h.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes %d", h.MaxHeaderBytes)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	defer s.Shutdown(context.Background())
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/auth", nil)
	req.Header.Set("Authorization", "Bearer "+strings.Repeat("A", 2*maxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("oversized headers: status %d, want 431", resp.StatusCode)
	}
}

func TestNewNeedsAStore(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without a store succeeded")
	}
}

func TestHealthzIs503UntilReady(t *testing.T) {
	var notReady atomic.Pointer[string]
	reason := "caches not loaded"
	notReady.Store(&reason)
	s := newServer(t, Options{Store: fixedStore{}, Ready: func() error {
		if r := notReady.Load(); r != nil {
			return errors.New(*r)
		}
		return nil
	}})
	get := func(method string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(method, "/healthz", nil))
		return w
	}
	want := func(step string, w *httptest.ResponseRecorder, status int, body string) {
		t.Helper()
		if w.Code != status || w.Body.String() != body || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %q (Cache-Control %q), want %d %q", step, w.Code, w.Body, w.Header().Get("Cache-Control"), status, body)
		}
	}
	want("loading", get("GET"), 503, "not ready: caches not loaded")
	want("loading, HEAD", get("HEAD"), 503, "")

	notReady.Store(nil)
	want("ready", get("GET"), 200, "ok")
	want("ready, HEAD", get("HEAD"), 200, "")

	lost := "database unreadable\x1b[2J"
	notReady.Store(&lost)
	want("store lost", get("GET"), 503, "not ready: database unreadable\ufffd[2J")
}

func TestHealthzIs503UntilTheStoreHasLoadedItsCaches(t *testing.T) {
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(filepath.Join(t.TempDir(), "keyrack.db"), storage.Options{Org: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newServer(t, Options{Store: st, Ready: st.Ready})
	health := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
		return w
	}
	if w := health(); w.Code != 503 || !strings.HasPrefix(w.Body.String(), "not ready: ") {
		t.Fatalf("before the caches are loaded: %d %q, want 503 with the reason", w.Code, w.Body)
	}
	if err := st.Preload(); err != nil {
		t.Fatal(err)
	}
	if w := health(); w.Code != 200 || w.Body.String() != "ok" {
		t.Fatalf("once loaded: %d %q, want 200 ok", w.Code, w.Body)
	}
}
