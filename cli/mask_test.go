package cli

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// secrets returns a keyrack token and a Lago-style UUID token, and the
// parts of them that must never reach stderr.
func secrets(t *testing.T) (tokens []string, parts []string) {
	t.Helper()
	tok, err := model.GenerateToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	kr, lago := tok.Reveal(), "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
	return []string{kr, lago}, []string{kr[3:20], kr[20:35], lago[:23]}
}

// runMasked runs args and fails the test if stderr holds a part of a secret.
func (h *harness) runMasked(parts []string, args ...string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	Run(Env{Store: h.store, Actor: "alice@example.com", Stdout: &out, Stderr: &errOut, Serve: func(ServeOptions) error { return nil }}, args)
	for _, p := range parts {
		if strings.Contains(errOut.String(), p) {
			h.t.Errorf("keyrack %q: stderr repeats the token: %q", args, errOut.String())
			return
		}
	}
}

func TestTheAuditedPathsNeverEchoAToken(t *testing.T) {
	h := newHarness(t)
	t.Chdir(t.TempDir())
	id := h.only().ID
	tokens, parts := secrets(t)
	for _, tok := range tokens {
		for _, args := range [][]string{
			{"keys", "create", "--permissions", tok},
			{"keys", "create", "--permissions", "customer=" + tok},
			{"keys", "create", "--permissions", tok + "=read"},
			{"keys", "rotate", id, "--in", tok},
			{"members", "add", tok},
			{"members", "add", "bob@example.com", "--role", tok},
			{"members", "add", "bob@example.com", "--ssh-key", tok},
			{"members", "remove", tok},
			{tok},
			{"keys", tok},
			{"audit", "--limit", tok},
			{"keys", "list", "--" + tok},
			{"keys", "list", "-" + tok},
			{"keys", "show", tok},
			{"keys", "permissions", id, "customer=" + tok},
		} {
			h.runMasked(parts, args...)
		}
	}
}

func TestNoCommandEchoesATokenInAnyArgumentOrFlag(t *testing.T) {
	h := newHarness(t)
	t.Chdir(t.TempDir()) // commands that write a FILE (backup) write it here
	tokens, parts := secrets(t)
	var leaves []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() {
			leaves = append(leaves, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := newApp(Env{}).rootCommand()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root)
	id := h.only().ID
	if len(leaves) < 20 {
		t.Fatalf("found %d commands; the walk is broken", len(leaves))
	}
	for _, c := range leaves {
		path := strings.Fields(c.CommandPath())[1:]
		for _, tok := range tokens {
			for n := 1; n <= 3; n++ { // the token in each positional place
				for i := range n {
					args := make([]string, n)
					for j := range args {
						args[j] = id
					}
					args[i] = tok
					h.runMasked(parts, append(path, args...)...)
				}
			}
			c.Flags().VisitAll(func(f *pflag.Flag) { // and in each flag
				if f.Name != "help" {
					h.runMasked(parts, append(path, "--"+f.Name+"="+tok)...)
				}
			})
			c.InheritedFlags().VisitAll(func(f *pflag.Flag) {
				h.runMasked(parts, append(path, "--"+f.Name+"="+tok)...)
			})
		}
	}
}

func TestADatabasePathThatIsATokenIsNotEchoed(t *testing.T) {
	t.Setenv("KEYRACK_MASTER_KEY", "")
	tokens, parts := secrets(t)
	dir := t.TempDir()
	for _, tok := range tokens {
		for _, args := range [][]string{
			{"--db", dir + "/" + tok, "keys", "list"},
			{"--db", dir + "/" + tok, "audit"},
			{"--org", tok, "--db", dir + "/k.db", "keys", "create"},
		} {
			var out, errOut bytes.Buffer
			Run(Env{Stdout: &out, Stderr: &errOut}, args)
			for _, p := range parts {
				if strings.Contains(errOut.String(), p) {
					t.Errorf("keyrack %q: stderr repeats the token: %q", args, errOut.String())
				}
			}
		}
	}
}
