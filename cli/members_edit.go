package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) membersRoleCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "role EMAIL admin|manager|finance",
		Short: "change a member's role; an admin demoted loses SSH access at once",
		Args:  exactArgs("EMAIL", "ROLE"),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := model.ParseRole(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			m, err := st.SetMemberRole(a.env.Actor, args[0], r)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.env.Stdout, "%s is %s\n", m.Email, m.Role)
			return err
		},
	}
}

func (a *app) membersAddKeyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "add-key EMAIL KEY|FILE|-",
		Short: "add an SSH public key to a member (- reads it from stdin, also over SSH)",
		Args:  exactArgs("EMAIL", "KEY"),
		RunE: func(_ *cobra.Command, args []string) error {
			var keys []string
			var err error
			if args[1] == "-" {
				keys, err = sshKeysFromStdin(a.env.Stdin)
			} else if keys, err = sshKeys(args[1], !a.env.Remote); err != nil {
				err = usagef("%v", err)
			}
			if err != nil {
				return err
			}
			if len(keys) != 1 {
				// One key, one transaction: never half of a file added.
				return usagef("%d SSH keys given; add-key adds one at a time", len(keys))
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			m, err := st.AddMemberSSHKey(a.env.Actor, args[0], keys[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.env.Stdout, "added SSH key %s to %s\n", model.Fingerprint(keys[0]), m.Email)
			return err
		},
	}
}

func (a *app) membersRemoveKeyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "remove-key EMAIL FINGERPRINT",
		Short: "remove a member's SSH key (SHA256:… as members list shows it); it stops working at once",
		Args:  exactArgs("EMAIL", "FINGERPRINT"),
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			m, err := st.RemoveMemberSSHKey(a.env.Actor, args[0], args[1])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.env.Stdout, "removed SSH key %s from %s\n", model.Printable(args[1]), m.Email)
			return err
		},
	}
}
