package sshd

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/ssh"
	"github.com/keyrack/keyrack/cli"
)

// commandMiddleware runs a command of the command tree for a session that
// names one (`ssh host keys list --json`) or has no terminal, and passes
// terminal sessions without a command on to the dashboard.
func (s *Server) commandMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if _, _, isPty := sess.Pty(); isPty && len(args) == 0 {
			next(sess)
			return
		}
		_ = sess.Exit(s.runCommand(sess, args))
	}
}

// runCommand runs args against the daemon's store as the session's admin
// and returns the exit status. Mail is left to the daemon's worker; the
// server's files stay out of reach (Remote).
func (s *Server) runCommand(sess ssh.Session, args []string) int {
	id := identityOf(sess)
	s.log.Debug("ssh command", "actor", id.actor(), "command", commandName(args))
	if len(args) > 0 && args[0] == "serve" {
		fmt.Fprintln(sess.Stderr(), "keyrack: serve cannot run over SSH: it is already running here")
		return 2
	}
	return cli.Run(cli.Env{Store: s.store, Actor: id.actor(), Stdout: sess, Stderr: sess.Stderr(), Remote: true}, args)
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
