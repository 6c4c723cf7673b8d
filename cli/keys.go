package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/keyrack/keyrack/model"
)

func init() {
	register("keys list", command{"keys list [--json]", "list the keys (tokens masked)", keysList})
	register("keys create", command{"keys create [--name N] [--permissions SPEC] [--json]", "create a key and print its token", keysCreate})
	register("keys show", command{"keys show ID [--json]", "show one key", keysShow})
	register("keys reveal", command{"keys reveal ID", "print a key's token", keysReveal})
	register("keys rotate", command{"keys rotate ID [--in now|1h|24h|48h|7d|DURATION] [--json]", "replace a key; the old one stays usable for the delay", keysRotate})
	register("keys expire", command{"keys expire ID", "end an expiring key's grace period now", keysExpire})
	register("keys rename", command{"keys rename ID NAME", "rename a key", keysRename})
	register("keys permissions", command{"keys permissions ID SPEC", "set permissions: all | none | res=read,res=write,res=read+write,…", keysPermissions})
	register("keys delete", command{"keys delete ID", "delete a key at once", keysDelete})
}

func keysList(env Env, args []string) error {
	fs := flag.NewFlagSet("keys list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	all, err := env.Store.List()
	if err != nil {
		return err
	}
	now := env.Store.Now()
	// A key past its expiry is gone even if the scheduler has not retired it yet.
	// (List's slice is shared: filter into a new one.)
	keys := make([]model.Key, 0, len(all))
	for _, k := range all {
		if k.UsableAt(now) {
			keys = append(keys, k)
		}
	}
	if *asJSON {
		out := make([]keyJSON, len(keys))
		for i, k := range keys {
			out[i] = toJSON(k, now)
		}
		return writeList(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tTOKEN\tSTATUS\tLAST USED\tCREATED")
	for _, k := range keys {
		status := string(k.Status(now))
		if !k.ExpiresAt.IsZero() {
			status = "expires " + stamp(k.ExpiresAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.DisplayName(), k.Masked(), status, lastUsed(k), stamp(k.CreatedAt))
	}
	return tw.Flush()
}

func keysCreate(env Env, args []string) error {
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	name := fs.String("name", "", "the key's name")
	spec := fs.String("permissions", "all", "permission spec")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	perms, err := model.ParsePermissions(*spec)
	if err != nil {
		return usagef("--permissions: %v", err)
	}
	key, tok, err := env.Store.Create(env.Actor, *name, perms)
	if err != nil {
		return err
	}
	defer deliver(env)
	return printNewKey(env, key, tok, *asJSON, "created key "+key.ID)
}

func keysShow(env Env, args []string) error {
	fs := flag.NewFlagSet("keys show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	k, err := env.Store.Get(pos[0])
	if err != nil {
		return err
	}
	now := env.Store.Now()
	if !k.UsableAt(now) { // past its expiry: gone, even if not yet retired
		return fmt.Errorf("key %s has expired", k.ID)
	}
	if *asJSON {
		return writeJSON(env.Stdout, toJSON(k, now))
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "id\t%s\nname\t%s\ntoken\t%s\nstatus\t%s\n", k.ID, k.DisplayName(), k.Masked(), k.Status(now))
	if !k.ExpiresAt.IsZero() {
		fmt.Fprintf(tw, "expires\t%s\n", stamp(k.ExpiresAt))
	}
	fmt.Fprintf(tw, "permissions\t%s\ncreated\t%s by %s\nlast used\t%s\n", k.Permissions.Summary(), stamp(k.CreatedAt), model.Printable(k.CreatedBy), lastUsed(k))
	if k.Permissions != (model.Permissions{}) {
		fmt.Fprintf(tw, "spec\t%s\n", k.Permissions)
	}
	return tw.Flush()
}

func keysReveal(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("keys reveal", flag.ContinueOnError), args, 1)
	if err != nil {
		return err
	}
	tok, err := env.Store.Reveal(env.Actor, pos[0])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, tok.Reveal())
	return err
}

func keysRotate(env Env, args []string) error {
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	in := fs.String("in", "now", "grace period of the old key")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	delay, err := model.ParseRotationDelay(*in)
	if err != nil {
		return usagef("--in: %v", err)
	}
	key, tok, err := env.Store.Rotate(env.Actor, pos[0], delay)
	if err != nil {
		return err
	}
	defer deliver(env)
	note := fmt.Sprintf("rotated %s: the old key stopped working", key.RotatedFrom)
	if delay > 0 {
		until := env.Store.Now().Add(delay)
		if old, err := env.Store.Get(key.RotatedFrom); err == nil {
			until = old.ExpiresAt // the stored expiry, not a second reading of the clock
		}
		note = fmt.Sprintf("rotated %s: the old key works until %s", key.RotatedFrom, stamp(until))
	}
	return printNewKey(env, key, tok, *asJSON, note+"; new key "+key.ID)
}

func keysExpire(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("keys expire", flag.ContinueOnError), args, 1)
	if err != nil {
		return err
	}
	if err := env.Store.Expire(env.Actor, pos[0]); err != nil {
		return err
	}
	defer deliver(env)
	_, err = fmt.Fprintf(env.Stdout, "key %s expired\n", pos[0])
	return err
}

func keysRename(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("keys rename", flag.ContinueOnError), args, 2)
	if err != nil {
		return err
	}
	k, err := env.Store.Rename(env.Actor, pos[0], pos[1])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "key %s renamed to %s\n", k.ID, k.DisplayName())
	return err
}

func keysPermissions(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("keys permissions", flag.ContinueOnError), args, 2)
	if err != nil {
		return err
	}
	perms, err := model.ParsePermissions(pos[1])
	if err != nil {
		return usagef("%v", err)
	}
	k, err := env.Store.SetPermissions(env.Actor, pos[0], perms)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "key %s permissions: %s\n", k.ID, k.Permissions.Summary())
	return err
}

func keysDelete(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("keys delete", flag.ContinueOnError), args, 1)
	if err != nil {
		return err
	}
	if err := env.Store.Delete(env.Actor, pos[0]); err != nil {
		return err
	}
	defer deliver(env)
	_, err = fmt.Fprintf(env.Stdout, "key %s deleted\n", pos[0])
	return err
}

// printNewKey prints a new token: alone on stdout (so $(keyrack keys create)
// captures it) with a note on stderr, or as JSON with the token added.
func printNewKey(env Env, key model.Key, tok model.Token, asJSON bool, note string) error {
	if asJSON {
		j := toJSON(key, env.Store.Now())
		j.Token = tok.Reveal()
		return writeJSON(env.Stdout, j)
	}
	fmt.Fprintln(env.Stderr, note)
	_, err := fmt.Fprintln(env.Stdout, tok.Reveal())
	return err
}

func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05 MST") }

func lastUsed(k model.Key) string {
	if k.LastUsedAt.IsZero() {
		return "never"
	}
	return stamp(k.LastUsedAt)
}
