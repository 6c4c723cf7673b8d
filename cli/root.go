package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// environmentHelp lists the variables keyrack reads, for `keyrack --help`.
const environmentHelp = `  KEYRACK_DB              database path or etcd://HOST:PORT[,HOST:PORT…][/PREFIX] (like --db)
  KEYRACK_MASTER_KEY      master key, base64 of 32 bytes (default: the file <db>.key;
                          an etcd database needs it or --master-key-file)
  KEYRACK_ETCD_USER       etcd user, for a cluster with authentication
  KEYRACK_ETCD_PASSWORD   its password (environment only; never printed)
  KEYRACK_ADMIN_KEYS      serve: SSH public keys of bootstrap admins, one per line
  KEYRACK_SMTP_ADDR       SMTP server host:port for notifications (serve: --smtp-addr)
  KEYRACK_SMTP_USER       SMTP user (serve: --smtp-user)
  KEYRACK_SMTP_PASSWORD   SMTP password (environment only)
  KEYRACK_SMTP_FROM       sender address (serve: --smtp-from)
  KEYRACK_SMTP_TLS        starttls (default), tls or none (serve: --smtp-tls)
  XDG_DATA_HOME           where the default database lives (~/.local/share)
  NO_COLOR                the dashboard uses no colour`

// usageTemplateEnvironment ends cobra's usage template with the
// environment section of a command that names one (annotation "environment").
const usageTemplateEnvironment = `{{with index .Annotations "environment"}}
Environment:
{{.}}
{{end}}`

// rootCommand builds the whole tree for one run.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "keyrack",
		Short: "manage an organization's API keys: dashboard, command line and serve",
		Long: `keyrack manages the API keys of one organization: a dashboard (keyrack
alone), the commands below, and serve (SSH dashboards, HTTP forward auth).
A key is named by its id or any unique prefix of it.`,
		Version:           Version,
		Args:              subcommandArgs,
		RunE:              a.runDashboard,
		PersistentPreRunE: a.checkGlobalFlags,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Annotations:       map[string]string{"environment": environmentHelp},
	}
	root.SetIn(a.env.Stdin)
	root.SetOut(a.env.Stdout)
	root.SetErr(a.env.Stderr)
	root.SetFlagErrorFunc(flagError)
	root.SetVersionTemplate("keyrack {{.Version}}\n")
	// A group alone only prints its help: its usage is "keyrack keys [command]".
	usage := strings.Replace(root.UsageTemplate(), "{{if .Runnable}}", `{{if and .Runnable (not (index .Annotations "group"))}}`, 1)
	root.SetUsageTemplate(usage + usageTemplateEnvironment)
	root.CompletionOptions.HiddenDefaultCmd = false

	pf := root.PersistentFlags()
	pf.StringVar(&a.db, "db", "", "database file, or etcd://HOST:PORT[,HOST:PORT…][/PREFIX] (default $KEYRACK_DB, else ~/.local/share/keyrack/keyrack.db)")
	pf.StringVar(&a.masterKeyFile, "master-key-file", "", "file holding the master key, mode 0600 (instead of <db>.key or $KEYRACK_MASTER_KEY)")
	pf.StringVar(&a.etcdCA, "etcd-ca", "", "etcd: CA certificate (PEM) that signed the members' certificates")
	pf.StringVar(&a.etcdCert, "etcd-cert", "", "etcd: client certificate (PEM), with --etcd-key")
	pf.StringVar(&a.etcdKey, "etcd-key", "", "etcd: the client certificate's private key (PEM)")
	pf.StringVar(&a.org, "org", "", `organization name of a new database (default "My organization")`)
	pf.BoolVar(&a.create, "create", false, "create the database if it is missing (only the dashboard, serve, keys create and members add do so unasked)")

	root.AddCommand(
		a.keysCommand(),
		a.membersCommand(),
		a.auditCommand(),
		a.mailCommand(),
		a.resourcesCommand(),
		a.policyCommand(),
		a.scanCommand(),
		a.checkCommand(),
		a.backupCommand(),
		a.compactCommand(),
		a.rekeyCommand(),
		a.migrateCommand(),
		a.serveCommand(),
		a.versionCommand(),
	)
	tidyDefaultCommands(root)
	disableFlagsInUseLine(root)
	return root
}

// disableFlagsInUseLine keeps cobra from adding "[flags]" to usage lines:
// each Use names its flags, as the README does.
func disableFlagsInUseLine(c *cobra.Command) {
	c.DisableFlagsInUseLine = true
	for _, sub := range c.Commands() {
		disableFlagsInUseLine(sub)
	}
}

// checkGlobalFlags refuses --db, --org, --create and the flags that say
// how to open a database over SSH: the session works on the daemon's.
func (a *app) checkGlobalFlags(cmd *cobra.Command, _ []string) error {
	if !a.env.Remote {
		return nil
	}
	for _, name := range []string{"db", "org", "create", "master-key-file", "etcd-ca", "etcd-cert", "etcd-key"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			return usagef("--%s cannot be used over SSH: commands work on the server's database", name)
		}
	}
	return nil
}

// runDashboard is `keyrack` alone: the dashboard, or the help where there
// is no dashboard (an SSH session without a terminal or a command).
func (a *app) runDashboard(cmd *cobra.Command, _ []string) error {
	if a.env.Dashboard == nil {
		return cmd.Help()
	}
	cfg, err := a.mailConfig() // before anything is created on disk
	if err != nil {
		return err
	}
	st, err := a.store(true)
	if err != nil {
		return err
	}
	return a.env.Dashboard(DashboardOptions{Store: st, Actor: a.env.Actor, Mail: cfg})
}
