package cli

import (
	"time"

	"github.com/keyrack/keyrack/mail"
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
	// MemoryLimit is the floor of the Go runtime's soft memory limit
	// (package memlimit); 0: serve leaves the limit alone (--memory-limit
	// off, or GOMEMLIMIT set and no flag).
	MemoryLimit uint64
	Mail        mail.Config // checked
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
  KEYRACK_ETCD_USER, _PASSWORD   etcd authentication (the password: environment only)
  GOMEMLIMIT              the Go runtime's memory limit, used instead of --memory-limit when that is not given`

func (a *app) serveCommand() *cobra.Command {
	f := serveFlags{smtp: map[string]*string{}}
	c := &cobra.Command{
		Use:   "serve [--ssh-addr ADDR] [--http-addr ADDR] [--host-key PATH] [--admin-key KEY|FILE]... [--last-used-flush 5s] [--remind-before 7d,1d,1h] [--memory-limit 640MiB] [--node NAME] [--master-key-file PATH] [--etcd-ca FILE --etcd-cert FILE --etcd-key FILE]",
		Short: "the daemon: SSH dashboard and commands, HTTP forward auth, scheduler, mail",
		Long: `serve runs until SIGINT or SIGTERM: admins log in over SSH (a dashboard with a
terminal, a command without: ssh -p 23234 HOST keys list --json), proxies
ask GET /auth whether a token may do a request, and expiries and mail are
handled in the background.`,
		Args:        exactArgs(),
		Annotations: map[string]string{"environment": serveEnvironment},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.env.Serve == nil {
				return usagef("serve cannot run over SSH: it is already running here")
			}
			o, err := a.serveOptions(cmd, f)
			if err != nil {
				return err
			}
			return a.env.Serve(o)
		},
	}
	fl, o := c.Flags(), &f.ServeOptions
	fl.StringVar(&o.SSHAddr, "ssh-addr", ":23234", "SSH address: the dashboard and commands for admins")
	fl.StringVar(&o.HTTPAddr, "http-addr", "127.0.0.1:8080", "HTTP address: forward auth, verify, healthz (empty: no HTTP; keep it on loopback behind a proxy)")
	fl.StringVar(&o.HostKey, "host-key", "", "SSH host key file, created if missing (default ssh_host_ed25519 beside the database; with etcd, in ~/.local/share/keyrack)")
	fl.StringArrayVar(&o.AdminKeys, "admin-key", nil, "bootstrap admin: an SSH public key or a file of them (repeatable; also KEYRACK_ADMIN_KEYS)")
	fl.StringVar(&f.node, "node", "", `this node's name among the nodes of an etcd cluster, in its election and its "last used" entries (default HOST/SSH-ADDR; bbolt: one node, "local")`)
	fl.DurationVar(&o.LastUsedFlush, "last-used-flush", 5*time.Second, `how often "last used" times are written to the database`)
	fl.StringVar(&f.memLimit, "memory-limit", "640MiB", "keep the heap under this, raised only as far as the live heap needs (off: the Go runtime's default, or GOMEMLIMIT)")
	fl.StringVar(&f.remind, "remind-before", "7d,1d,1h", "mail the admins this long before a key expires (comma-separated; none: no reminders)")
	for _, s := range smtpFlags {
		f.smtp[s.flag] = fl.String(s.flag, "", s.help)
	}
	return c
}
