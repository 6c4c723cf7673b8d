package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
)

func (a *app) keysFindCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "find - [--json]",
		Short: "read a token on stdin and say which key it is (exit 0 found, 1 not)",
		Long: `find reads one token (kr_… or an imported Lago UUID) on stdin, never from
the command line, where it would reach the shell history, and names its key:
id, name, status, last used. Exit 0 when a key has it, 1 when none does.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || args[0] != "-" {
				return usagef("keys find reads the token on stdin: echo \"$TOKEN\" | keyrack keys find -")
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			tok, err := readTokenLine(a.env.Stdin)
			if err != nil {
				return err
			}
			st, err := a.store(false)
			if err != nil {
				return err
			}
			k, ok, err := st.FindToken(tok)
			if err != nil {
				return err
			}
			now := st.Now()
			if !ok || k.PastExpiry(now) {
				fmt.Fprintf(a.env.Stdout, "%s: no key has this token (never issued here, expired or deleted)\n", tok.Masked())
				return exitCode(1)
			}
			if asJSON {
				return writeJSON(a.env.Stdout, toJSON(k, now))
			}
			_, err = fmt.Fprintf(a.env.Stdout, "%s: key %s %s, %s, last used %s\n", tok.Masked(), k.ID, k.DisplayName(), k.Status(now), lastUsed(k))
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the key as JSON")
	return c
}

// readTokenLine reads the first line of r as a credential; a malformed one
// is refused without being repeated.
func readTokenLine(r io.Reader) (model.Token, error) {
	if r == nil {
		return model.Token{}, errors.New("no token on stdin")
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return model.Token{}, fmt.Errorf("read stdin: %w", err)
	}
	s := strings.TrimSpace(line)
	if s == "" {
		return model.Token{}, errors.New("no token on stdin")
	}
	tok, err := model.ParseCredential(s)
	if err != nil {
		return model.Token{}, errors.New("stdin holds no valid token: a kr_ token of 39 characters with a correct checksum, or a Lago UUID")
	}
	return tok, nil
}
