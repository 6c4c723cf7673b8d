package api

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// BenchmarkNginx measures requests through real nginx running the block of
// docs/PROXIES.md, on loopback, 8 clients in parallel with keep-alive:
// without auth (auth_request removed), as documented, and as documented but
// without keep-alive to keyrack (as the snippet was before issue 9); and
// refusals (403) as documented and without proxy_method HEAD. Each
// reports req/s; the figures in docs/BENCHMARKS.md are ratios within a run.
func BenchmarkNginx(b *testing.B) {
	st, tok := seedStore(b, 10)
	s := newServer(b, Options{Store: st, FlushEvery: time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go s.Serve(ln)
	lago := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "from lago")
	}))
	defer lago.Close()
	lagoAddr := strings.TrimPrefix(lago.URL, "http://")

	_, refusedTok, err := st.Create("bench", "no permissions", model.Permissions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name   string
		change [2]string
		tok    model.Token
		status int
	}{
		{"no-auth", [2]string{"auth_request /_keyrack;", ""}, tok, 200},
		{"documented", [2]string{"listen 80;", "listen 80;"}, tok, 200},
		{"no-keepalive-to-keyrack", [2]string{"server 127.0.0.1:8080;\n    keepalive 16;", "server 127.0.0.1:8080;"}, tok, 200},
		{"documented/403", [2]string{"listen 80;", "listen 80;"}, refusedTok, 403},
		{"no-head/403", [2]string{"proxy_method HEAD;", ""}, refusedTok, 403},
	} {
		nginx := startNginx(b, func(listen string) string {
			return documentedBlock(b, "nginx_test.go", [][2]string{v.change,
				{"listen 80;", "listen " + listen + ";"}, {"127.0.0.1:8080", ln.Addr().String()}, {"127.0.0.1:3000", lagoAddr}})
		})
		b.Run(v.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", "http://"+nginx+"/api/v1/customers?page=2", nil)
					req.Header.Set("Authorization", "Bearer "+v.tok.Reveal())
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != v.status {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
