package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Binary returns the path of program name, looked up in PATH and then in
// /usr/sbin and /usr/bin (Debian puts nginx in /usr/sbin, outside a normal
// user's PATH). debPackage names the Debian package that provides it.
//
// When the program is missing the test fails under CI (the CI variable is
// set; .ci/run installs every such package), and is skipped elsewhere with
// the package to install.
func Binary(t testing.TB, name, debPackage string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found: .ci/run installs it (apt-get install %s)", name, debPackage)
	}
	t.Skipf("%s not found; apt-get install %s to run this test", name, debPackage)
	return ""
}
