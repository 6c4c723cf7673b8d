package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
)

// fakeTmux holds paste buffers as tmux does and records what it ran.
type fakeTmux struct {
	buffers map[string]string
	ran     []string
}

func (f *fakeTmux) run(args ...string) ([]byte, error) {
	f.ran = append(f.ran, strings.Join(args, " "))
	switch args[0] {
	case "list-buffers":
		var names []string
		for name := range f.buffers {
			names = append(names, name)
		}
		return []byte(strings.Join(names, "\n") + "\n"), nil
	case "show-buffer":
		if v, ok := f.buffers[args[2]]; ok {
			return []byte(v), nil
		}
	case "delete-buffer":
		delete(f.buffers, args[2])
		return nil, nil
	}
	return nil, errors.New("no buffer " + args[len(args)-1])
}

func TestClearInsideTmuxDeletesTheBufferTmuxMadeOfTheToken(t *testing.T) {
	tok := tokenForTest(t).Reveal()
	tmux := &fakeTmux{buffers: map[string]string{"buffer0": tok, "buffer1": "something the user copied"}}
	out := &testkit.Buffer{}
	c := oscClipboard{w: out, tmux: &tmuxBuffers{run: tmux.run}}
	said, err := c.clear(tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tmux.buffers["buffer0"]; ok || len(tmux.buffers) != 1 {
		t.Fatalf("buffers left: %v (ran %v)", tmux.buffers, tmux.ran)
	}
	if out.String() != "\x1b]52;c;\a" {
		t.Fatalf("terminal got %q, want an empty OSC 52 payload", out.String())
	}
	if said != "asked your terminal to clear the clipboard and deleted tmux's copy; your terminal may keep one" {
		t.Fatalf("said %q", said)
	}
}

func TestClearOutsideTmuxSaysOnlyWhatIsKnown(t *testing.T) {
	c := oscClipboard{w: &testkit.Buffer{}}
	said, err := c.clear("kr_x")
	if err != nil || said != "asked your terminal to clear the clipboard; tmux or your terminal may keep a copy" {
		t.Fatalf("said %q, %v", said, err)
	}
}
