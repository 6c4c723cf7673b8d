package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/keyrack/keyrack/keyimport"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

func (a *app) keysImportCommand() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "import [--format keyrack|lago] FILE|-",
		Short: "create keys in bulk from JSON lines (Lago's api_keys export, or keyrack's form)",
		Long: "Reads one JSON object per line from FILE, or from standard input with -.\n" +
			"lago (the default when the first line has a value field): Lago's api_keys rows; each\n" +
			"token keeps working as given. keyrack: name, permissions, optional token (generated\n" +
			"tokens are printed as JSON lines). Any bad line refuses the whole file; nothing is stored.",
		Args: exactArgs("FILE"),
		RunE: func(_ *cobra.Command, args []string) error {
			switch keyimport.Format(format) {
			case keyimport.Detect, keyimport.Keyrack, keyimport.Lago:
			default:
				return usagef("--format %q: want keyrack or lago", format)
			}
			in, closeIn, err := a.input(args[0])
			if err != nil {
				return err
			}
			defer closeIn()
			st, err := a.store(false)
			if err != nil {
				return err
			}
			keys, err := keyimport.NewReader(in, keyimport.Format(format))
			if err != nil {
				return err
			}
			defer keys.Close()
			out := bufio.NewWriter(a.env.Stdout)
			res, err := st.Import(a.env.Actor, keys.Next, func(made []storage.Imported) {
				for _, m := range made {
					if m.Generated { // shown now or never
						j := toJSON(m.Key, st.Now())
						j.Token = m.Token.Reveal()
						writeLine(out, j)
					}
				}
				out.Flush()
			})
			n := res.Imported
			if n > 0 {
				defer a.deliver()
			}
			if err != nil && n == 0 {
				return fmt.Errorf("import: %w (nothing was imported)", err)
			}
			if err != nil {
				return fmt.Errorf("import: %w (%s imported before the error; run the same file again to import the rest)", err, model.Count(n, "key", ""))
			}
			if res.Skipped > 0 {
				fmt.Fprintf(a.env.Stderr, "imported %s; %s already stored by an earlier import, skipped\n", model.Count(n, "key", ""), model.Count(res.Skipped, "key", ""))
				return nil
			}
			fmt.Fprintf(a.env.Stderr, "imported %s\n", model.Count(n, "key", ""))
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "", "keyrack or lago (default: lago if the first line has a value field)")
	return c
}

// input opens FILE, or standard input for "-". Over SSH only "-" is
// allowed: the server's files are not the user's.
func (a *app) input(name string) (io.Reader, func(), error) {
	if name == "-" {
		if a.env.Stdin == nil {
			return nil, nil, usagef("no standard input to read")
		}
		return a.env.Stdin, func() {}, nil
	}
	if a.env.Remote {
		return nil, nil, usagef("over SSH, send the file on standard input: ssh … keys import - < FILE")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// writeLine prints one compact JSON object and a newline.
func writeLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// rotatedJSON is one line of keys rotate --all --json.
type rotatedJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Token    string `json:"token"`
	Replaces string `json:"replaces"`
}

// rotateAll is keys rotate --all: every active key, after a confirmation
// on a terminal or with --yes.
func (a *app) rotateAll(in string, delay time.Duration, yes, asJSON bool) error {
	st, err := a.store(false)
	if err != nil {
		return err
	}
	when := "stop working at once"
	if delay > 0 {
		when = "keep working for " + in
	}
	if !yes {
		if !isTerminal(a.env.Stdin) {
			return usagef("keys rotate --all changes every key: add --yes to confirm (no terminal to ask on)")
		}
		fmt.Fprintf(a.env.Stderr, "Rotate every active key of %s? The old keys %s. Type yes to go on: ", model.Printable(st.Organization()), when)
		answer, _ := bufio.NewReader(a.env.Stdin).ReadString('\n')
		if strings.TrimSpace(answer) != "yes" {
			return fmt.Errorf("nothing rotated")
		}
	}
	out := bufio.NewWriter(a.env.Stdout)
	res, err := st.RotateAll(a.env.Actor, delay, func(done []storage.RotatedKey) {
		for _, r := range done {
			if asJSON {
				writeLine(out, rotatedJSON{ID: r.Key.ID, Name: r.Key.Name, Token: r.Token.Reveal(), Replaces: r.Replaces})
			} else {
				fmt.Fprintf(out, "%s %s %s\n", r.Replaces, r.Key.ID, r.Token.Reveal())
			}
		}
		out.Flush()
	})
	if res.Rotated > 0 {
		defer a.deliver()
	}
	if err != nil {
		return fmt.Errorf("%w (%s rotated before the error)", err, model.Count(res.Rotated, "key", ""))
	}
	note := ""
	if res.Skipped > 0 {
		note = fmt.Sprintf(" (%s already expiring, skipped)", model.Count(res.Skipped, "key", ""))
	}
	fmt.Fprintf(a.env.Stderr, "rotated %s%s; the old keys %s\n", model.Count(res.Rotated, "key", ""), note, when)
	if res.Late > 0 {
		fmt.Fprintf(a.env.Stderr, "warning: the rotation outlasted the grace period: %s rotated after it were replaced at once (use a longer --in for this many keys)\n", model.Count(res.Late, "key", ""))
	}
	return nil
}

// isTerminal reports whether r is a terminal a person can answer on.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
