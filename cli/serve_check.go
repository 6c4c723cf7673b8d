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
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// nameFlags rewrites a message about KEYRACK_SMTP_* settings so that it
// names the flag where the user gave the value as one.
func nameFlags(cmd *cobra.Command, msg string) string {
	for _, f := range smtpFlags {
		if cmd.Flags().Changed(f.flag) {
			msg = strings.ReplaceAll(msg, f.env, "--"+f.flag)
		}
	}
	return msg
}

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

// dataDir is where serve keeps its own files: beside a bbolt database, in
// keyrack's data directory for an etcd one.
func dataDir(d database) (string, error) {
	if d.url == "" {
		return filepath.Dir(d.path), nil
	}
	def, err := storage.DefaultPath()
	return filepath.Dir(def), err
}

// checkNodeName refuses a --node name that cannot name a node: control
// characters (a NUL ends the id in a last-use entry) or over 128 bytes.
func checkNodeName(name string) error {
	if len(name) > 128 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return usagef("--node %q: a name of at most 128 printable characters", model.Printable(name))
	}
	return nil
}

// nodeName names this serve among the nodes of a cluster, in its election
// campaigns: the host and the SSH address.
func nodeName(sshAddr string) string {
	host, err := os.Hostname()
	if err != nil {
		host = "keyrack"
	}
	return host + "/" + sshAddr
}
