package cli

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// keyChange is a command that changes one key, named by its first argument.
type keyChange struct {
	use, short string
	args       []string // the positional arguments' names, ID first
	// parse reads the other arguments before the database is opened, so
	// that a usage error opens nothing. Nil: there are none.
	parse func(args []string) error
	// change makes the change and says what was done; mailed is whether it
	// wrote mail to deliver before the command exits.
	change func(st *storage.Store, id string) (done string, mailed bool, err error)
	// completeArg completes the argument after the ID; nil: nothing.
	completeArg cobra.CompletionFunc
}

// keyChangeCommand builds a keyChange's command: arguments, database,
// change, one line on stdout, and the mail it caused delivered.
func (a *app) keyChangeCommand(kc keyChange) *cobra.Command {
	return &cobra.Command{
		Use:   kc.use,
		Short: kc.short,
		Args:  exactArgs(kc.args...),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 1 && kc.completeArg != nil {
				return kc.completeArg(cmd, args, typed)
			}
			return a.completeKeyID(cmd, args, typed)
		},
		RunE: func(_ *cobra.Command, args []string) error {
			if kc.parse != nil {
				if err := kc.parse(args); err != nil {
					return err
				}
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			done, mailed, err := kc.change(st, args[0])
			if err != nil {
				return err
			}
			if mailed {
				defer a.deliver()
			}
			_, err = fmt.Fprintln(a.env.Stdout, done)
			return err
		},
	}
}

func (a *app) keysExpireCommand() *cobra.Command {
	return a.keyChangeCommand(keyChange{
		use: "expire ID", short: "end an expiring key's grace period now", args: []string{"ID"},
		change: func(st *storage.Store, id string) (string, bool, error) {
			k, err := st.Get(id) // the full id for the message
			if err == nil {
				err = st.Expire(a.env.Actor, k.ID)
			}
			return "key " + k.ID + " expired", true, err
		},
	})
}

func (a *app) keysDeleteCommand() *cobra.Command {
	return a.keyChangeCommand(keyChange{
		use: "delete ID", short: "delete a key at once", args: []string{"ID"},
		change: func(st *storage.Store, id string) (string, bool, error) {
			k, err := st.Get(id) // the full id for the message
			if err == nil {
				err = st.Delete(a.env.Actor, k.ID)
			}
			return "key " + k.ID + " deleted", true, err
		},
	})
}

func (a *app) keysRenameCommand() *cobra.Command {
	var name string
	return a.keyChangeCommand(keyChange{
		use: "rename ID NAME", short: "rename a key", args: []string{"ID", "NAME"},
		parse: func(args []string) error { name = args[1]; return nil },
		change: func(st *storage.Store, id string) (string, bool, error) {
			k, err := st.Rename(a.env.Actor, id, name)
			return fmt.Sprintf("key %s renamed to %s", k.ID, k.DisplayName()), false, err
		},
	})
}

func (a *app) keysPermissionsCommand() *cobra.Command {
	var perms model.Permissions
	return a.withUsageAdvice(a.keyChangeCommand(keyChange{
		use: "permissions ID SPEC", short: "set permissions: all | none | res=read,res=write,res=read+write,…",
		args: []string{"ID", "SPEC"},
		parse: func(args []string) (err error) {
			if perms, err = model.ParsePermissions(args[1]); err != nil {
				return usagef("%v", err)
			}
			return nil
		},
		change: func(st *storage.Store, id string) (string, bool, error) {
			k, err := st.SetPermissions(a.env.Actor, id, perms)
			return fmt.Sprintf("key %s permissions: %s", k.ID, k.Permissions.Summary()), false, err
		},
		completeArg: completeSpec,
	}))
}
