package api

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
)

// caddyGlobals come before the documented site block: no admin endpoint
// (it would take port 2019 and collide between tests) and no automatic
// HTTPS, which would reach out to a certificate authority.
const caddyGlobals = "{\n\tadmin off\n\tauto_https off\n}\n\n"

// startCaddy runs the Caddyfile of docs/PROXIES.md, for keyrack and Lago at
// the given addresses, on a free loopback port until the test ends, and
// returns its address. Caddy's state goes to the test's directory.
func startCaddy(t testing.TB, keyrackAddr, lagoAddr string) string {
	t.Helper()
	bin := testkit.Binary(t, "caddy", "caddy")
	dir := t.TempDir()
	_, ports := testkit.StartListening(t, 1, syscall.SIGINT, func(ports []int) *exec.Cmd {
		site := documentedBlock(t, "caddy_test.go", [][2]string{
			{"lago.example.com", "http://" + testkit.Addr(ports[0])},
			{"127.0.0.1:8080", keyrackAddr},
			{"127.0.0.1:3000", lagoAddr},
		})
		conf := filepath.Join(dir, "Caddyfile")
		if err := os.WriteFile(conf, []byte(caddyGlobals+site), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		return cmd
	})
	return testkit.Addr(ports[0])
}

func TestCaddyForwardAuthEndToEnd(t *testing.T) {
	p := newProxied(t)
	caddy := startCaddy(t, p.keyrackAddr, p.upstreamAddr)
	p.checkThroughProxy(t, caddy)
}
