package ui

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// tmuxBuffers finds and deletes the paste buffers tmux made of a copied
// token: with set-clipboard on, tmux keeps every OSC 52 copy as a buffer,
// and it ignores a request to clear.
type tmuxBuffers struct {
	run func(args ...string) ([]byte, error)
}

// runTmux runs one tmux command, bounded in time.
func runTmux(args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("tmux %s: %w", args[0], err)
	}
	return out, nil
}

// drop deletes every buffer that holds exactly text and counts them.
func (t *tmuxBuffers) drop(text string) (int, error) {
	names, err := t.run("list-buffers", "-F", "#{buffer_name}")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range strings.Fields(string(names)) {
		content, err := t.run("show-buffer", "-b", name)
		if err != nil || string(content) != text {
			continue // gone meanwhile, or another copy
		}
		if _, err := t.run("delete-buffer", "-b", name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
