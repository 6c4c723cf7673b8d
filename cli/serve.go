package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/keyrack/keyrack/mail"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// ServeOptions is what `keyrack serve` runs with, its flags checked.
type ServeOptions struct {
	SSHAddr  string
	HTTPAddr string // empty: no HTTP side
	HostKey  string // empty: ssh_host_ed25519 in DataDir
	Database string // the database, as its log names it: a path or etcd://…
	// DataDir keeps serve's own files (the host key): the directory of a
	// bbolt database, keyrack's data directory for an etcd one.
	DataDir       string
	AdminKeys     []string // --admin-key values: keys, or files of keys
	AdminKeysEnv  string   // KEYRACK_ADMIN_KEYS
	LastUsedFlush time.Duration
	RemindBefore  []time.Duration // reminder thresholds; empty: none
	Mail          mail.Config     // checked
	// Open opens (or creates) the database; serve calls it once its own
	// configuration is known to be good.
	Open func() (*storage.Store, error)
}

// smtpFlags pairs serve's SMTP flags with the variables they override.
var smtpFlags = [...]struct{ flag, env, help string }{
	{"smtp-addr", "KEYRACK_SMTP_ADDR", "SMTP server host:port (default $KEYRACK_SMTP_ADDR)"},
	{"smtp-user", "KEYRACK_SMTP_USER", "SMTP user; the password comes from KEYRACK_SMTP_PASSWORD only"},
	{"smtp-from", "KEYRACK_SMTP_FROM", "sender address of notifications"},
	{"smtp-tls", "KEYRACK_SMTP_TLS", "starttls (default), tls or none"},
}

const serveEnvironment = `  KEYRACK_ADMIN_KEYS      SSH public keys of bootstrap admins, one per line
  KEYRACK_SMTP_ADDR, _USER, _PASSWORD, _FROM, _TLS   mail delivery (flags win)
  KEYRACK_MASTER_KEY      master key (default: the file <db>.key; or --master-key-file)
  KEYRACK_DB              the database: a path, or etcd://HOST:PORT,…/PREFIX shared by several nodes
  KEYRACK_ETCD_USER, _PASSWORD   etcd authentication (the password: environment only)`

func (a *app) serveCommand() *cobra.Command {
	var o ServeOptions
	var remind, node string
	smtp := map[string]*string{}
	c := &cobra.Command{
		Use:   "serve [--ssh-addr ADDR] [--http-addr ADDR] [--host-key PATH] [--admin-key KEY|FILE]... [--last-used-flush 5s] [--remind-before 7d,1d,1h] [--node NAME] [--master-key-file PATH] [--etcd-ca FILE --etcd-cert FILE --etcd-key FILE]",
		Short: "the daemon: SSH dashboard and commands, HTTP forward auth, scheduler, mail",
		Long: `serve runs until SIGINT or SIGTERM: admins log in over SSH (a dashboard with a
terminal, a command without: ssh -p 23234 HOST keys list --json), proxies
ask GET /auth whether a token may do a request, and expiries and mail are
handled in the background.`,
		Args:        exactArgs(),
		Annotations: map[string]string{"environment": serveEnvironment},
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if a.env.Serve == nil {
				return usagef("serve cannot run over SSH: it is already running here")
			}
			if o.LastUsedFlush <= 0 {
				return usagef("--last-used-flush must be positive")
			}
			if o.RemindBefore, err = parseRemindBefore(remind); err != nil {
				return err
			}
			if err := checkNodeName(node); err != nil {
				return err
			}
			if err := checkListenAddr("ssh-addr", o.SSHAddr); err != nil {
				return err
			}
			if o.HTTPAddr != "" {
				if err := checkListenAddr("http-addr", o.HTTPAddr); err != nil {
					return err
				}
			}
			if err := checkHostKeyPath(o.HostKey); err != nil {
				return err
			}
			cfg, err := mail.FromEnv(func(key string) string {
				for _, f := range smtpFlags {
					if f.env == key && cmd.Flags().Changed(f.flag) {
						return *smtp[f.flag]
					}
				}
				return a.getenv(key)
			}).Check()
			if err != nil {
				msg := "mail: " + err.Error()
				if named := nameFlags(cmd, msg); named != msg {
					return usageError{named}
				}
				return errors.New(msg)
			}
			o.Mail = cfg
			d, err := a.database() // a bad --db is refused before serve listens
			if err != nil {
				return err
			}
			o.Database = d.String()
			if o.DataDir, err = dataDir(d); err != nil {
				return err
			}
			o.AdminKeysEnv = a.getenv("KEYRACK_ADMIN_KEYS")
			if a.node = node; node == "" {
				a.node = nodeName(o.SSHAddr)
			}
			o.Open = func() (*storage.Store, error) { return a.store(true) }
			return a.env.Serve(o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.SSHAddr, "ssh-addr", ":23234", "SSH address: the dashboard and commands for admins")
	f.StringVar(&o.HTTPAddr, "http-addr", "127.0.0.1:8080", "HTTP address: forward auth, verify, healthz (empty: no HTTP; keep it on loopback behind a proxy)")
	f.StringVar(&o.HostKey, "host-key", "", "SSH host key file, created if missing (default ssh_host_ed25519 beside the database; with etcd, in ~/.local/share/keyrack)")
	f.StringArrayVar(&o.AdminKeys, "admin-key", nil, "bootstrap admin: an SSH public key or a file of them (repeatable; also KEYRACK_ADMIN_KEYS)")
	f.StringVar(&node, "node", "", `this node's name among the nodes of an etcd cluster, in its election and its "last used" entries (default HOST/SSH-ADDR; bbolt: one node, "local")`)
	f.DurationVar(&o.LastUsedFlush, "last-used-flush", 5*time.Second, `how often "last used" times are written to the database`)
	f.StringVar(&remind, "remind-before", "7d,1d,1h", "mail the admins this long before a key expires (comma-separated; none: no reminders)")
	for _, s := range smtpFlags {
		smtp[s.flag] = f.String(s.flag, "", s.help)
	}
	return c
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
		return nil // there, or unreadable: loading it says why
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
