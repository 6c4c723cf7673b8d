package main

import (
	"path/filepath"

	"github.com/keyrack/keyrack/cli"
	"github.com/keyrack/keyrack/sshd"
)

// readAdminKeys reads the bootstrap keys: --admin-key values (keys or
// files of keys) and KEYRACK_ADMIN_KEYS.
func readAdminKeys(o cli.ServeOptions) ([]string, error) {
	keys, err := sshd.ReadAdminKeys(o.AdminKeys)
	if err != nil {
		return nil, err
	}
	env, err := sshd.ReadAdminKeysEnv(o.AdminKeysEnv)
	return append(keys, env...), err
}

// hostKeyPath is --host-key, else ssh_host_ed25519 in serve's data directory.
func hostKeyPath(o cli.ServeOptions) string {
	if o.HostKey != "" {
		return o.HostKey
	}
	return filepath.Join(o.DataDir, sshd.HostKeyName)
}
