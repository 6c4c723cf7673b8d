package sshd

import (
	"strings"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/cli"
)

// commandMiddleware runs a command of the command tree for a session that
// names one (`ssh host keys list --json`) or has no terminal, and passes
// terminal sessions without a command on to the dashboard.
func (s *Server) commandMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		line := sess.RawCommand()
		if _, _, isPty := sess.Pty(); isPty && strings.TrimSpace(line) == "" {
			next(sess)
			return
		}
		_ = sess.Exit(s.runCommand(sess, line))
	}
}

// runCommand runs a command line against the daemon's store as the
// session's admin and returns the exit status. Mail is left to the
// daemon's worker; the server's files stay out of reach (Remote).
func (s *Server) runCommand(sess ssh.Session, line string) int {
	id := identityOf(sess)
	s.log.Debug("ssh command", "actor", id.actor(), "command", commandName(strings.Fields(line)))
	return cli.RunLine(cli.Env{Store: s.store, Actor: id.actor(), Stdin: sess, Stdout: sess, Stderr: sess.Stderr(), Remote: true}, line)
}

// commandName is what the log shows of a command: its first two words if
// they look like command names, never an argument (which could be a
// token pasted in the wrong place).
func commandName(args []string) string {
	var words []string
	for _, a := range args[:min(len(args), 2)] {
		if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyz-") != "" {
			a = "…"
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}
