package sshd

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// sessionRenderer builds the styles' renderer for one terminal session:
// colours come from the client's TERM, COLORTERM, NO_COLOR and COLORFGBG,
// not from the server's. Unlike wish's bubbletea.MakeRenderer it does not
// query the terminal for its background colour: that query waits up to a
// second for terminals that do not answer and can swallow a keystroke.
func sessionRenderer(sess ssh.Session, pty ssh.Pty) *lipgloss.Renderer {
	if pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	return lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
}

// sessionEnv is the environment the client sent, for termenv.
type sessionEnv []string

// Environ returns the variables as KEY=value.
func (e sessionEnv) Environ() []string { return e }

// Getenv returns the last value sent for key.
func (e sessionEnv) Getenv(key string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], key+"="); ok {
			return v
		}
	}
	return ""
}
