package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage"
)

func TestStartHTTPIsReadyWhenItListens(t *testing.T) {
	t.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(filepath.Join(t.TempDir(), "k.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Ready() == nil {
		t.Fatal("a store that has just opened says it is ready: this test would prove nothing")
	}
	addr := testkit.Addr(testkit.FreePorts(t, 1)[0])
	shutdown, err := startHTTP(context.Background(), st, addr, time.Hour, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Fatalf("first /healthz: %d %q, want 200 ok: serve must load its caches before it listens", resp.StatusCode, body)
	}
}
