package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/keyrack/keyrack/model"
)

func init() {
	register("members list", command{"members list [--json]", "list the members and their SSH key fingerprints", membersList})
	register("members add", command{"members add EMAIL [--role admin|manager|finance] [--ssh-key KEY-OR-.pub-FILE]...", "add a member (role admin by default); admins get mail and may log in over SSH", membersAdd})
	register("members remove", command{"members remove EMAIL", "remove a member; their SSH keys stop working at once", membersRemove})
}

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

func membersList(env Env, args []string) error {
	fs := flag.NewFlagSet("members list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	ms, err := env.Store.Members()
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]memberJSON, len(ms))
		for i, m := range ms {
			out[i] = memberJSON{Email: m.Email, Role: m.Role, SSHKeys: []sshKeyJSON{}, AddedAt: m.AddedAt}
			for _, k := range m.SSHKeys {
				out[i].SSHKeys = append(out[i].SSHKeys, sshKeyJSON{Fingerprint: model.Fingerprint(k), Key: k})
			}
		}
		return writeList(env.Stdout, out)
	}
	if len(ms) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "no members yet: keyrack members add EMAIL --role admin")
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tSSH KEYS\tADDED")
	for _, m := range ms {
		fps := strings.Join(m.Fingerprints(), ", ")
		if fps == "" {
			fps = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", model.Printable(m.Email), m.Role, fps, stamp(m.AddedAt))
	}
	return tw.Flush()
}

func membersAdd(env Env, args []string) error {
	fs := flag.NewFlagSet("members add", flag.ContinueOnError)
	role := fs.String("role", string(model.RoleAdmin), "admin, manager or finance")
	var keys []string
	fs.Func("ssh-key", "an SSH public key, or a .pub file holding one or more (repeatable)", func(v string) error {
		found, err := sshKeys(v, !env.Remote)
		keys = append(keys, found...)
		return err
	})
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	r, err := model.ParseRole(*role)
	if err != nil {
		return usagef("--role: %v", err)
	}
	m, err := env.Store.AddMember(env.Actor, pos[0], r, keys)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("added %s as %s", m.Email, m.Role)
	if fps := m.Fingerprints(); len(fps) > 0 {
		note += " with SSH key " + strings.Join(fps, ", ")
	}
	_, err = fmt.Fprintln(env.Stdout, note)
	return err
}

// sshKeys reads --ssh-key: the key itself, or a file of keys in
// authorized_keys form (blank lines and # comments skipped). Nothing of a
// file that holds no key is echoed, so a wrong path shows no contents.
func sshKeys(v string, readFiles bool) ([]string, error) {
	_, _, perr := model.ParseSSHKey(v)
	switch {
	case perr == nil:
		return []string{v}, nil
	case !readFiles:
		return nil, fmt.Errorf("%v (over SSH, give the key itself, not a file)", perr)
	}
	data, ferr := os.ReadFile(v)
	if ferr != nil {
		if errors.Is(ferr, os.ErrNotExist) && !strings.Contains(v, " ") {
			return nil, fmt.Errorf("%q is neither an SSH public key nor a readable file", model.Printable(v))
		}
		return nil, perr
	}
	var keys []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, _, err := model.ParseSSHKey(line); err != nil {
			return nil, fmt.Errorf("%s: %v", model.Printable(v), err)
		}
		keys = append(keys, line)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no SSH public key", model.Printable(v))
	}
	return keys, nil
}

func membersRemove(env Env, args []string) error {
	pos, err := parse(flag.NewFlagSet("members remove", flag.ContinueOnError), args, 1)
	if err != nil {
		return err
	}
	if err := env.Store.RemoveMember(env.Actor, pos[0]); err != nil {
		return err
	}
	addr, _ := model.ParseEmail(pos[0]) // RemoveMember accepted it
	_, err = fmt.Fprintf(env.Stdout, "removed %s\n", addr)
	return err
}
