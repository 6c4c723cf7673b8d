package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/keyrack/keyrack/model"
)

// checkListenAddr refuses an address serve could never listen on, before
// anything is created on disk.
func checkListenAddr(flag, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = net.LookupPort("tcp", port)
	}
	if err != nil {
		return usagef("--%s %q: want HOST:PORT or :PORT, such as 127.0.0.1:8080", flag, addr)
	}
	return nil
}

// checkHostKeyPath refuses a --host-key that can be neither read nor
// created, before anything else is created on disk.
func checkHostKeyPath(path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or unreadable: serve reads it before it opens the store
	}
	if dir, err := os.Stat(filepath.Dir(path)); err != nil || !dir.IsDir() {
		return fmt.Errorf("--host-key %s: no directory %s to create it in", path, filepath.Dir(path))
	}
	return nil
}

// checkNodeName refuses a --node name that cannot name a node: control
// characters (a NUL ends the id in a last-use entry) or over 128 bytes.
func checkNodeName(name string) error {
	if len(name) > 128 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return usagef("--node %q: a name of at most 128 printable characters", model.Printable(name))
	}
	return nil
}
