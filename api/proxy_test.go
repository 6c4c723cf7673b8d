package api

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// documentedBlock returns the code block of docs/PROXIES.md marked
// "<!-- tested by api/TESTFILE -->", with each replacement's first string
// (which must be there) replaced by its second: the proxy tests run exactly
// what the documentation tells users to write, addresses aside.
func documentedBlock(t testing.TB, testFile string, replacements [][2]string) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "PROXIES.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- tested by api/"+testFile+" -->\n```")
	_, rest, ok2 := strings.Cut(rest, "\n") // the fence's language
	block, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatalf("docs/PROXIES.md has no code block marked as tested by api/%s", testFile)
	}
	for _, r := range replacements {
		if !strings.Contains(block, r[0]) {
			t.Fatalf("the block of docs/PROXIES.md tested by %s has no %q", testFile, r[0])
		}
		block = strings.ReplaceAll(block, r[0], r[1])
	}
	return block
}

// proxied is keyrack and a stand-in for Lago, both on loopback, for a real
// proxy to sit in front of. Each counts the TCP connections it accepted.
type proxied struct {
	f                           *fixture
	keyrackAddr, upstreamAddr   string
	keyrackConns, upstreamConns atomic.Int64
	upstreamSaw                 chan upstreamRequest
}

// upstreamRequest is what the stand-in for Lago received.
type upstreamRequest struct{ method, uri, keyID, body string }

func newProxied(t *testing.T) *proxied {
	p := &proxied{f: newFixture(t), upstreamSaw: make(chan upstreamRequest, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.keyrackAddr = ln.Addr().String()
	go p.f.srv.Serve(countingListener{ln, &p.keyrackConns})

	upstream := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.upstreamSaw <- upstreamRequest{r.Method, r.RequestURI, r.Header.Get("X-Keyrack-Key-Id"), string(body)}
		io.WriteString(w, "from lago")
	}))
	upstream.Listener = countingListener{upstream.Listener, &p.upstreamConns}
	upstream.Start()
	t.Cleanup(upstream.Close)
	p.upstreamAddr = upstream.Listener.Addr().String()
	return p
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// checkThroughProxy sends requests with a valid, an invalid, a forbidden
// and a spoofing token through the proxy at proxyAddr and checks that each
// gets keyrack's answer, that only the allowed ones reach Lago, and that
// the proxy keeps its connections to keyrack open.
func (p *proxied) checkThroughProxy(t *testing.T, proxyAddr string) {
	all, allTok := p.f.key("all", model.AllPermissions())
	reader, readerTok := p.f.key("customer reader", model.Permissions{9: model.Read}) // customer
	cases := []struct {
		name, method, uri, auth, body string
		extra                         [][2]string
		status                        int
		want                          string
	}{
		{name: "read allowed", method: "GET", uri: "/api/v1/customers?page=2", auth: "Bearer " + readerTok.Reveal(), status: 200, want: "from lago"},
		{name: "key id header from the client replaced", method: "GET", uri: "/api/v1/customers", auth: "Bearer " + readerTok.Reveal(),
			extra: [][2]string{{"X-Keyrack-Key-Id", all.ID}}, status: 200, want: "from lago"},
		{name: "write allowed", method: "POST", uri: "/api/v1/invoices", auth: "Bearer " + allTok.Reveal(), body: `{"invoice":{}}`, status: 200, want: "from lago"},
		{name: "write denied", method: "POST", uri: "/api/v1/customers", auth: "Bearer " + readerTok.Reveal(), body: `{"customer":{}}`,
			status: 403, want: wantForbidden("write_action_not_allowed_for_customer")},
		{name: "other resource denied", method: "GET", uri: "/api/v1/invoices/i1.json", auth: "Bearer " + readerTok.Reveal(),
			status: 403, want: wantForbidden("read_action_not_allowed_for_invoice")},
		{name: "unmapped", method: "GET", uri: "/api/v1/secret_admin", auth: "Bearer " + allTok.Reveal(), status: 403, want: wantNotMapped},
		{name: "no token", method: "GET", uri: "/api/v1/customers", status: 401, want: wantUnauthorized},
		{name: "bad checksum", method: "GET", uri: "/api/v1/customers", auth: "Bearer " + readerTok.Reveal()[:38] + "!", status: 401, want: wantUnauthorized},
		{name: "spoofed forwarded headers", method: "GET", uri: "/api/v1/invoices", auth: "Bearer " + readerTok.Reveal(),
			extra: [][2]string{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"},
				{"X-Original-Method", "GET"}, {"X-Original-URI", "/api/v1/customers"}},
			status: 403, want: wantForbidden("read_action_not_allowed_for_invoice")},
	}
	keyrackBefore, upstreamBefore := p.keyrackConns.Load(), p.upstreamConns.Load()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, "http://"+proxyAddr+tc.uri, strings.NewReader(tc.body))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			for _, h := range tc.extra {
				req.Header.Set(h[0], h[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || string(got) != tc.want {
				t.Fatalf("through the proxy: %d %q, want %d %q", resp.StatusCode, got, tc.status, tc.want)
			}
			if ct := resp.Header.Get("Content-Type"); tc.status != 200 && ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			if tc.status == 401 && strings.Join(resp.Header.Values("WWW-Authenticate"), "|") != `Bearer realm="keyrack"` {
				t.Errorf("WWW-Authenticate %q, want one Bearer challenge", resp.Header.Values("WWW-Authenticate"))
			}
			if tc.status != 200 {
				select {
				case s := <-p.upstreamSaw:
					t.Fatalf("a refused request reached the upstream: %+v", s)
				default:
				}
				return
			}
			s := <-p.upstreamSaw
			wantKey := reader.ID
			if tc.auth == "Bearer "+allTok.Reveal() {
				wantKey = all.ID
			}
			if s.method != tc.method || s.uri != tc.uri || s.body != tc.body || s.keyID != wantKey {
				t.Fatalf("upstream saw %+v, want %s %s with body %q and key id %s", s, tc.method, tc.uri, tc.body, wantKey)
			}
		})
	}
	// The requests above went one after another: a proxy that keeps its
	// connections open needed one to keyrack and one to Lago.
	if n := p.keyrackConns.Load() - keyrackBefore; n > 1 {
		t.Errorf("the proxy opened %d connections to keyrack for %d requests one after another, want 1 kept open", n, len(cases))
	}
	if n := p.upstreamConns.Load() - upstreamBefore; n > 1 {
		t.Errorf("the proxy opened %d connections to Lago for the allowed requests one after another, want 1 kept open", n)
	}
}
