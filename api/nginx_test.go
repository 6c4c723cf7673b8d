package api

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
)

// nginxConf runs the block of docs/PROXIES.md unprivileged in the
// foreground, with every path in the test's directory. Placeholders:
// %[1]s the directory, %[2]s the block.
const nginxConf = `daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
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

// startNginx runs the http-level configuration that block returns for a
// listen address on a free loopback port until the test ends, and returns
// that address.
func startNginx(t testing.TB, block func(listen string) string) string {
	t.Helper()
	bin := testkit.Binary(t, "nginx", "nginx-light")
	dir := t.TempDir()
	_, ports := testkit.StartListening(t, 1, syscall.SIGQUIT, func(ports []int) *exec.Cmd {
		conf := filepath.Join(dir, "nginx.conf")
		if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, block(testkit.Addr(ports[0]))), 0o600); err != nil {
			t.Fatal(err)
		}
		return exec.Command(bin, "-p", dir, "-c", conf, "-e", "stderr")
	})
	return testkit.Addr(ports[0])
}

// documentedNginx is the nginx block of docs/PROXIES.md for keyrack and
// Lago at the given addresses.
func documentedNginx(t testing.TB, keyrackAddr, lagoAddr string) func(listen string) string {
	return func(listen string) string {
		return documentedBlock(t, "nginx_test.go", [][2]string{
			{"listen 80;", "listen " + listen + ";"}, {"127.0.0.1:8080", keyrackAddr}, {"127.0.0.1:3000", lagoAddr}})
	}
}

func TestNginxAuthRequestEndToEnd(t *testing.T) {
	p := newProxied(t)
	nginx := startNginx(t, documentedNginx(t, p.keyrackAddr, p.upstreamAddr))
	p.checkThroughProxy(t, nginx)
}
