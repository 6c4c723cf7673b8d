package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/memlimit"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// serveFlags are serve's flags as given; serveOptions checks them.
type serveFlags struct {
	ServeOptions
	remind, node, memLimit string
	smtp                   map[string]*string // by flag name
}

// serveOptions checks serve's flags, the mail settings and the name of the
// database, and says how to open it; nothing is created on disk yet.
func (a *app) serveOptions(cmd *cobra.Command, f serveFlags) (o ServeOptions, err error) {
	o = f.ServeOptions
	if err := f.checkValues(); err != nil {
		return o, err
	}
	if o.RemindBefore, err = parseRemindBefore(f.remind); err != nil {
		return o, err
	}
	if o.MemoryLimit, err = f.memoryLimit(cmd, a.getenv); err != nil {
		return o, err
	}
	if o.Mail, err = f.mailConfig(cmd, a.getenv); err != nil {
		return o, err
	}
	d, err := a.database() // a bad --db is refused before serve listens
	if err != nil {
		return o, err
	}
	o.Database = d.String()
	if o.DataDir, err = dataDir(d); err != nil {
		return o, err
	}
	o.AdminKeysEnv = a.getenv("KEYRACK_ADMIN_KEYS")
	if a.node = f.node; f.node == "" {
		a.node = nodeName(o.SSHAddr)
	}
	o.Open = func() (*storage.Store, error) { return a.store(true) }
	return o, nil
}

// checkValues refuses flag values serve could never use.
func (f serveFlags) checkValues() error {
	if f.LastUsedFlush <= 0 {
		return usagef("--last-used-flush must be positive")
	}
	if err := checkNodeName(f.node); err != nil {
		return err
	}
	if err := checkListenAddr("ssh-addr", f.SSHAddr); err != nil {
		return err
	}
	if f.HTTPAddr != "" {
		if err := checkListenAddr("http-addr", f.HTTPAddr); err != nil {
			return err
		}
	}
	return checkHostKeyPath(f.HostKey)
}

// memoryLimit is the floor of serve's memory limit: --memory-limit, unless
// it is not given and GOMEMLIMIT is (the runtime has applied it already).
func (f serveFlags) memoryLimit(cmd *cobra.Command, getenv func(string) string) (uint64, error) {
	if !cmd.Flags().Changed("memory-limit") && getenv("GOMEMLIMIT") != "" {
		return 0, nil
	}
	n, err := memlimit.ParseSize(f.memLimit)
	if err != nil {
		return 0, usagef("--memory-limit: %v", err)
	}
	if n != 0 && n < 64<<20 {
		return 0, usagef("--memory-limit must be at least 64MiB (or off)")
	}
	return n, nil
}

// mailConfig is the SMTP configuration from the environment, where a flag
// given wins over its variable; an error names the flag when it was one.
func (f serveFlags) mailConfig(cmd *cobra.Command, getenv func(string) string) (mail.Config, error) {
	cfg, err := mail.FromEnv(func(key string) string {
		for _, s := range smtpFlags {
			if s.env == key && cmd.Flags().Changed(s.flag) {
				return *f.smtp[s.flag]
			}
		}
		return getenv(key)
	}).Check()
	if err != nil {
		msg := "mail: " + err.Error()
		if named := nameFlags(cmd, msg); named != msg {
			return cfg, usageError{named}
		}
		return cfg, errors.New(msg)
	}
	return cfg, nil
}

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

// dataDir is where serve keeps its own files: beside a bbolt database, in
// keyrack's data directory for an etcd one.
func dataDir(d database) (string, error) {
	if d.url == "" {
		return filepath.Dir(d.path), nil
	}
	def, err := storage.DefaultPath()
	return filepath.Dir(def), err
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
