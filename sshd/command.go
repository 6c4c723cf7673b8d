package sshd

import (
	"context"
	"fmt"
	"io"
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
		if _, isPty := s.terminalOf(sess); isPty && strings.TrimSpace(line) == "" {
			next(sess)
			return
		}
		l := liveOf(sess)
		closed := make(chan struct{})
		stop := context.AfterFunc(l.ctx, func() {
			defer close(closed)
			closeRevoked(sess, l)
		})
		code := s.runCommand(sess, l, line)
		if stop() {
			_ = sess.Exit(code)
			return
		}
		<-closed // its exit status, not the library's 0 after this returns
	}
}

// closeRevoked ends a command session whose admin lost access: the reason
// on stderr, exit status 1, the channel closed. The command's input fails
// from then on (revocableReader), so a command still reading it stops
// before it reaches storage.
func closeRevoked(sess ssh.Session, l *live) {
	revoked := l.revocation()
	if revoked == nil {
		return // the client went away
	}
	fmt.Fprintf(sess.Stderr(), "keyrack: %s\n", revoked)
	_ = sess.Exit(1)
	_ = sess.Close()
}

// runCommand runs a command line against the daemon's store as the
// session's admin and returns the exit status. Mail is left to the
// daemon's worker (mail send asks it to deliver now); the server's files
// stay out of reach (Remote).
func (s *Server) runCommand(sess ssh.Session, l *live, line string) int {
	s.log.Debug("ssh command", "actor", l.id.actor(), "command", commandName(strings.Fields(line)))
	stdin := revocableReader{r: sess, check: func() error { return s.stillAllowed(l, "") }}
	env := cli.Env{Store: s.store, Actor: l.id.actor(), Stdin: stdin, Stdout: sess, Stderr: sess.Stderr(), Mailer: s.mailer, Remote: true}
	return cli.RunLine(env, line)
}

// revocableReader is a session's input that fails once the session's
// access is removed. Each read checks the key again (check) before it
// hands anything over, so input that arrives after a removal committed
// never reaches the command, even before the watcher has caught up.
type revocableReader struct {
	r     io.Reader
	check func() error
}

func (r revocableReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if revoked := r.check(); revoked != nil {
		return 0, revoked
	}
	return n, err
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
