package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// keysCommand is `keys` and its subcommands.
func (a *app) keysCommand() *cobra.Command {
	return group("keys", "list, create, rotate and delete API keys",
		a.keysListCommand(),
		a.keysCreateCommand(),
		a.keysShowCommand(),
		a.keysRevealCommand(),
		a.keysRotateCommand(),
		a.keysExpireCommand(),
		a.keysExpiresCommand(),
		a.keysFindCommand(),
		a.keysUsageCommand(),
		a.keysDisableCommand(),
		a.keysEnableCommand(),
		a.keysRenameCommand(),
		a.keysPermissionsCommand(),
		a.keysDeleteCommand(),
		a.keysImportCommand(),
	)
}

func (a *app) keysListCommand() *cobra.Command {
	var asJSON bool
	var filter listFilter
	c := &cobra.Command{
		Use:   "list [--status active|expiring|disabled] [--idle 30d] [--never-used] [--json]",
		Short: "list the keys (tokens masked)",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			if _, err := filter.keep(time.Time{}); err != nil {
				return err // flags checked before the database is opened
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			now := st.Now()
			keep, _ := filter.keep(now)
			if asJSON {
				return a.listJSON(st, now, keep)
			}
			return a.listTable(st, now, keep)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	filter.flags(c)
	return c
}

func (a *app) keysShowCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:               "show ID [--json]",
		Short:             "show one key",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeKeyID,
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			k, err := st.Get(args[0])
			if err != nil {
				return err
			}
			now := st.Now()
			if k.PastExpiry(now) { // past its expiry: gone, even if not yet retired
				return fmt.Errorf("key %s has expired", k.ID)
			}
			if asJSON {
				return writeJSON(a.env.Stdout, toJSON(k, now))
			}
			tw := a.table("")
			fmt.Fprintf(tw, "id\t%s\nname\t%s\ntoken\t%s\nstatus\t%s\n", k.ID, k.DisplayName(), k.Masked(), k.Status(now))
			if !k.ExpiresAt.IsZero() {
				fmt.Fprintf(tw, "expires\t%s\n", model.FormatTime(k.ExpiresAt))
			}
			if at, ok := st.IdleDeadline(k); ok {
				fmt.Fprintf(tw, "retires\t%s if it stays quiet (%s without traffic)\n", model.FormatTime(at), model.FormatSpan(k.IdleRetire))
			}
			fmt.Fprintf(tw, "permissions\t%s\ncreated\t%s by %s\nlast used\t%s\n", k.Permissions.Summary(), model.FormatTime(k.CreatedAt), model.Printable(k.CreatedBy), lastUsed(k))
			if k.Permissions != (model.Permissions{}) {
				fmt.Fprintf(tw, "spec\t%s\n", k.Permissions)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) keysRevealCommand() *cobra.Command {
	return &cobra.Command{
		Use:               "reveal ID",
		Short:             "print a key's token",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeKeyID,
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			tok, err := st.Reveal(a.env.Actor, args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(a.env.Stdout, tok.Reveal())
			return err
		},
	}
}

func lastUsed(k model.Key) string {
	if k.LastUsedAt.IsZero() {
		return "never"
	}
	return model.FormatTime(k.LastUsedAt)
}

// listJSON streams keys list --json: a JSON array, one compact key per
// line, written as the keys are read, so memory does not grow with their
// number. A key past its expiry is left out even if not yet retired.
func (a *app) listJSON(st *storage.Store, now time.Time, keep func(model.Key) bool) error {
	out := bufio.NewWriter(a.env.Stdout)
	sep := "["
	err := eachKey(st, func(k model.Key) error {
		if !keep(k) {
			return nil
		}
		out.WriteString(sep + "\n")
		sep = ","
		b, err := json.Marshal(toJSON(k, now))
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if sep == "[" {
		out.WriteString("[")
	} else {
		out.WriteString("\n")
	}
	out.WriteString("]\n")
	return out.Flush()
}

// releaseEvery is how many keys a listing reads between two releases of
// the database file's resident pages.
const releaseEvery = 1000

// eachKey streams the keys in display order as st.EachKey does, keeping
// the database file's pages it read from piling up in resident memory: at
// a million keys a listing otherwise ends with the whole file resident.
func eachKey(st *storage.Store, fn func(model.Key) error) error {
	n := 0
	return st.EachKey(func(k model.Key) error {
		if n++; n%releaseEvery == 0 {
			if err := st.ReleaseResident(); err != nil {
				return err
			}
		}
		return fn(k)
	})
}

// tableBlock is how many rows keys list aligns at a time: the table
// streams, so columns are aligned per block, not over a million rows.
const tableBlock = 1000

// listTable streams keys list as aligned text.
func (a *app) listTable(st *storage.Store, now time.Time, keep func(model.Key) bool) error {
	tw := a.table("ID\tNAME\tTOKEN\tSTATUS\tLAST USED\tCREATED")
	rows := 0
	err := eachKey(st, func(k model.Key) error {
		if !keep(k) {
			return nil
		}
		status := string(k.Status(now))
		if !k.ExpiresAt.IsZero() {
			status = strings.Replace(status, "expiring", "expires", 1) + " " + model.FormatTime(k.ExpiresAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.DisplayName(), k.Masked(), status, lastUsed(k), model.FormatTime(k.CreatedAt))
		if rows++; rows%tableBlock == 0 {
			return tw.Flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Flush()
}
