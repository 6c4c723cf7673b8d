package api

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// nginxConf runs the server block of docs/PROXIES.md unprivileged in the
// foreground, with every path in the test's directory. Placeholders:
// %[1]s the directory, %[2]s the server block.
const nginxConf = `daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %[1]s/client_body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
%[2]s
}
`

// documentedServerBlock returns the nginx block of docs/PROXIES.md with its
// listen address, keyrack's and Lago's replaced, so that the test runs
// exactly what the documentation tells users to write.
func documentedServerBlock(t *testing.T, listen, keyrackAddr, upstreamAddr string) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "PROXIES.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "```nginx\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/PROXIES.md has no nginx block")
	}
	for _, r := range [][2]string{{"listen 80;", "listen " + listen + ";"}, {"127.0.0.1:8080", keyrackAddr}, {"127.0.0.1:3000", upstreamAddr}} {
		if !strings.Contains(block, r[0]) {
			t.Fatalf("the nginx block of docs/PROXIES.md has no %q", r[0])
		}
		block = strings.ReplaceAll(block, r[0], r[1])
	}
	return block
}

// findNginx returns the nginx binary. Without one the test fails in CI,
// where .ci/run installs it, and is skipped elsewhere.
func findNginx(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx not found: .ci/run installs it (apt-get install nginx-light)")
	}
	t.Skip("nginx not found; install nginx-light to run the end-to-end test")
	return ""
}

// startNginx runs nginx with nginxConf until the test ends.
func startNginx(t *testing.T, bin, keyrackAddr, upstreamAddr string) string {
	t.Helper()
	dir := t.TempDir()
	for attempt := 0; ; attempt++ {
		port := freePort(t)
		conf := filepath.Join(dir, "nginx.conf")
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		server := documentedServerBlock(t, addr, keyrackAddr, upstreamAddr)
		if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, server), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd := exec.Command(bin, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if waitListening(addr, exited) {
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGQUIT)
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					<-exited
				}
			})
			return addr
		}
		cmd.Process.Kill()
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		if attempt == 2 {
			t.Fatalf("nginx did not start:\n%s\n%s", out.String(), log)
		}
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits up to 5 s for addr to accept, or for the process to end.
func waitListening(addr string, exited <-chan error) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func TestNginxAuthRequestEndToEnd(t *testing.T) {
	bin := findNginx(t)
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.srv.Serve(ln)

	type seen struct{ method, uri, keyID, body string }
	upstreamSaw := make(chan seen, 1)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		upstreamSaw <- seen{r.Method, r.RequestURI, r.Header.Get("X-Keyrack-Key-Id"), string(body)}
		io.WriteString(w, "from lago")
	}))
	defer upstream.Close()
	nginx := startNginx(t, bin, ln.Addr().String(), strings.TrimPrefix(upstream.URL, "http://"))

	all, allTok := f.key("all", model.AllPermissions())
	_, readerTok := f.key("customer reader", model.Permissions{9: model.Read}) // customer
	for _, tc := range []struct {
		name, method, uri, auth, body string
		extra                         [][2]string
		status                        int
		want                          string
	}{
		{name: "read allowed", method: "GET", uri: "/api/v1/customers?page=2", auth: "Bearer " + readerTok.Reveal(), status: 200, want: "from lago"},
		{name: "write allowed", method: "POST", uri: "/api/v1/invoices", auth: "Bearer " + allTok.Reveal(), body: `{"invoice":{}}`, status: 200, want: "from lago"},
		{name: "write denied", method: "POST", uri: "/api/v1/customers", auth: "Bearer " + readerTok.Reveal(), body: `{"customer":{}}`,
			status: 403, want: wantForbidden("write_action_not_allowed_for_customer")},
		{name: "other resource denied", method: "GET", uri: "/api/v1/invoices/i1.json", auth: "Bearer " + readerTok.Reveal(),
			status: 403, want: wantForbidden("read_action_not_allowed_for_invoice")},
		{name: "unmapped", method: "GET", uri: "/api/v1/secret_admin", auth: "Bearer " + allTok.Reveal(), status: 403, want: wantNotMapped},
		{name: "no token", method: "GET", uri: "/api/v1/customers", status: 401, want: wantUnauthorized},
		{name: "bad checksum", method: "GET", uri: "/api/v1/customers", auth: "Bearer " + readerTok.Reveal()[:38] + "!", status: 401, want: wantUnauthorized},
		{name: "spoofed forwarded headers", method: "GET", uri: "/api/v1/invoices", auth: "Bearer " + readerTok.Reveal(),
			extra:  [][2]string{{"X-Forwarded-Method", "GET"}, {"X-Forwarded-Uri", "/api/v1/customers"}},
			status: 403, want: wantForbidden("read_action_not_allowed_for_invoice")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, "http://"+nginx+tc.uri, strings.NewReader(tc.body))
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
				t.Fatalf("through nginx: %d %q, want %d %q", resp.StatusCode, got, tc.status, tc.want)
			}
			if ct := resp.Header.Get("Content-Type"); tc.status != 200 && ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			if tc.status == 401 && strings.Join(resp.Header.Values("WWW-Authenticate"), "|") != `Bearer realm="keyrack"` {
				t.Errorf("WWW-Authenticate %q, want one Bearer challenge", resp.Header.Values("WWW-Authenticate"))
			}
			if tc.status != 200 {
				select {
				case s := <-upstreamSaw:
					t.Fatalf("a refused request reached the upstream: %+v", s)
				default:
				}
				return
			}
			s := <-upstreamSaw
			if s.method != tc.method || s.uri != tc.uri || s.body != tc.body || s.keyID == "" {
				t.Fatalf("upstream saw %+v, want %s %s with body %q and a key id", s, tc.method, tc.uri, tc.body)
			}
			if tc.auth == "Bearer "+allTok.Reveal() && s.keyID != all.ID {
				t.Fatalf("upstream got key id %q, want %q", s.keyID, all.ID)
			}
		})
	}
}
