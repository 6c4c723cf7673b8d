package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

// memberJSON is a member as --json prints it.
type memberJSON struct {
	Email   string       `json:"email"`
	Role    model.Role   `json:"role"`
	SSHKeys []sshKeyJSON `json:"ssh_keys"`
	AddedAt time.Time    `json:"added_at"`
}

type sshKeyJSON struct {
	Fingerprint string `json:"fingerprint"`
	Key         string `json:"key"`
}

// membersCommand is `members` and its subcommands.
func (a *app) membersCommand() *cobra.Command {
	return group("members", "list, add and remove the organization's members, their roles and SSH keys",
		a.membersListCommand(),
		a.membersAddCommand(),
		a.membersRemoveCommand(),
		a.membersRoleCommand(),
		a.membersAddKeyCommand(),
		a.membersRemoveKeyCommand(),
	)
}

func (a *app) membersListCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list [--json]",
		Short: "list the members and their SSH key fingerprints",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			ms, err := st.Members()
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]memberJSON, len(ms))
				for i, m := range ms {
					out[i] = memberJSON{Email: m.Email, Role: m.Role, SSHKeys: []sshKeyJSON{}, AddedAt: m.AddedAt}
					for _, k := range m.SSHKeys {
						out[i].SSHKeys = append(out[i].SSHKeys, sshKeyJSON{Fingerprint: model.Fingerprint(k), Key: k})
					}
				}
				return writeList(a.env.Stdout, out)
			}
			if len(ms) == 0 {
				_, err := fmt.Fprintln(a.env.Stdout, "no members yet: keyrack members add EMAIL --role admin")
				return err
			}
			tw := a.table("EMAIL\tROLE\tSSH KEYS\tADDED")
			for _, m := range ms {
				fps := strings.Join(m.Fingerprints(), ", ")
				if fps == "" {
					fps = "none"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", model.Printable(m.Email), m.Role, fps, model.FormatTime(m.AddedAt))
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) membersAddCommand() *cobra.Command {
	var role string
	var sshKeyArgs []string
	c := &cobra.Command{
		Use:   "add EMAIL [--role admin|manager|finance] [--ssh-key KEY-OR-.pub-FILE]...",
		Short: "add a member (role admin by default); admins get mail and may log in over SSH",
		Args:  exactArgs("EMAIL"),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := model.ParseRole(role)
			if err != nil {
				return usagef("--role: %v", err)
			}
			var keys []string
			for _, v := range sshKeyArgs {
				found, err := sshKeys(v, !a.env.Remote)
				if err != nil {
					return usagef("--ssh-key: %v", err)
				}
				keys = append(keys, found...)
			}
			st, err := a.store(true)
			if err != nil {
				return err
			}
			m, err := st.AddMember(a.env.Actor, args[0], r, keys)
			if err != nil {
				return err
			}
			note := fmt.Sprintf("added %s as %s", m.Email, m.Role)
			if fps := m.Fingerprints(); len(fps) > 0 {
				note += " with SSH key " + strings.Join(fps, ", ")
			}
			_, err = fmt.Fprintln(a.env.Stdout, note)
			return err
		},
	}
	c.Flags().StringVarP(&role, "role", "r", string(model.RoleAdmin), "admin, manager or finance")
	c.RegisterFlagCompletionFunc("role", fixedValues(string(model.RoleAdmin), string(model.RoleManager), string(model.RoleFinance)))
	c.Flags().StringArrayVar(&sshKeyArgs, "ssh-key", nil, "an SSH public key, or a .pub file holding one or more (repeatable)")
	return c
}

func (a *app) membersRemoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "remove EMAIL",
		Short:             "remove a member; their SSH keys stop working at once",
		Args:              exactArgs("EMAIL"),
		ValidArgsFunction: a.completeMember,
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			if err := st.RemoveMember(a.env.Actor, args[0]); err != nil {
				return err
			}
			addr, _ := model.ParseEmail(args[0]) // RemoveMember accepted it
			_, err = fmt.Fprintf(a.env.Stdout, "removed %s\n", addr)
			return err
		},
	}
}
