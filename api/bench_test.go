package api

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// seedStore opens a store with n keys (the Default one included), created
// in transactions of 5000, and returns the token of the last one.
func seedStore(b *testing.B, n int) (*storage.Store, model.Token) {
	b.Helper()
	b.Setenv(storage.MasterKeyEnv, "")
	st, err := storage.Open(filepath.Join(b.TempDir(), "keyrack.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var tok model.Token
	for done := 1; done < n; {
		names := make([]string, min(5000, n-done))
		for i := range names {
			names[i] = fmt.Sprintf("key %d", done+i)
		}
		_, toks, err := st.CreateMany("bench", names, model.AllPermissions())
		if err != nil {
			b.Fatal(err)
		}
		tok, done = toks[len(toks)-1], done+len(names)
	}
	if _, err := st.Authenticate(tok, time.Now()); err != nil { // loads the cache
		b.Fatal(err)
	}
	return st, tok
}

// BenchmarkVerify measures one in-process verification (checksum, SHA-256
// lookup, expiry, route, permission and the "last used" mark) against one
// SHA-256 of a token, at 10 and 100,000 keys.
func BenchmarkVerify(b *testing.B) {
	const method, uri = "POST", "/api/v1/customers/cus_123/wallets"
	for _, n := range []int{10, 100000} {
		st, tok := seedStore(b, n)
		s := newServer(b, Options{Store: st, FlushEvery: time.Hour})
		raw := tok.Reveal()
		q := routeQuestion(MatchRoute(method, uri))
		// verify: the token's part, the route already resolved (its cost is
		// BenchmarkMatchRoute's); decide: both together.
		b.Run(fmt.Sprintf("verify/keys=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v := s.decide(context.Background(), raw, q); v.status != 200 {
					b.Fatal(v.status)
				}
			}
		})
		b.Run(fmt.Sprintf("decide/keys=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v := s.decide(context.Background(), raw, routeQuestion(MatchRoute(method, uri))); v.status != 200 {
					b.Fatal(v.status)
				}
			}
		})
		b.Run(fmt.Sprintf("handler/keys=%d", n), func(b *testing.B) {
			r := httptest.NewRequest("GET", "/auth", nil)
			r.Header.Set("Authorization", "Bearer "+raw)
			r.Header.Set("X-Forwarded-Method", method)
			r.Header.Set("X-Forwarded-Uri", uri)
			h := s.Handler()
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
	b.Run("sha256", func(b *testing.B) {
		tok, _ := model.GenerateToken(constReader('s'))
		raw := []byte(tok.Reveal())
		b.ReportAllocs()
		for b.Loop() {
			sum := sha256.Sum256(raw)
			raw[3] = sum[0]&1 + 'A' // keep the compiler from hoisting the hash
		}
	})
}

// BenchmarkAuthOverLoopback compares /auth with a bare net/http handler
// that answers 200, through the same keep-alive client at the same
// concurrency.
func BenchmarkAuthOverLoopback(b *testing.B) {
	st, tok := seedStore(b, 10)
	s := newServer(b, Options{Store: st, FlushEvery: time.Second})
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})}
	for _, bc := range []struct {
		name  string
		serve func(net.Listener) error
		stop  func(context.Context) error
	}{
		{"bare", bare.Serve, bare.Shutdown},
		{"keyrack", s.Serve, s.Shutdown},
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go bc.serve(ln)
		url := "http://" + ln.Addr().String() + "/auth"
		b.Run(bc.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
			defer client.CloseIdleConnections()
			b.SetParallelism(8)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", url, nil)
					req.Header.Set("Authorization", "Bearer "+tok.Reveal())
					req.Header.Set("X-Forwarded-Method", "GET")
					req.Header.Set("X-Forwarded-Uri", "/api/v1/invoices/inv_1?page=2")
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
		})
		bc.stop(context.Background())
	}
}
