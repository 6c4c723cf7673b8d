package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
)

// These tests run the real binary in a real terminal: a detached tmux
// session on a tmux server of their own, driven with send-keys and read
// with capture-pane, as a user at an 80×24 terminal would see it.

// tmuxDashboard is the dashboard running in tmux on a database of its own.
type tmuxDashboard struct {
	t          *testing.T
	tmux, sock string
	bin, db    string
}

// buildKeyrack compiles the binary under test.
func buildKeyrack(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "keyrack")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/keyrack/keyrack").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// newTmuxDashboard creates a database holding Default and n more keys
// named "service 00000"…, then shows the dashboard on it in tmux.
func newTmuxDashboard(t *testing.T, bin string, n, width, height int) *tmuxDashboard {
	t.Helper()
	dir := t.TempDir()
	d := &tmuxDashboard{t: t, tmux: testkit.Binary(t, "tmux", "tmux"), sock: filepath.Join(dir, "tmux.sock"),
		bin: bin, db: filepath.Join(dir, "keyrack.db")}
	d.cli("", "--create", "keys", "list")
	if n > 0 {
		var lines strings.Builder
		for i := range n {
			line, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("service %05d", i), "permissions": map[string][]string{"customer": {"read"}}})
			lines.Write(append(line, '\n'))
		}
		d.cli(lines.String(), "keys", "import", "--format", "keyrack", "-")
	}
	cmd := fmt.Sprintf("%s --db %s", bin, d.db)
	d.run("-f", "/dev/null", "new-session", "-d", "-s", "kr", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), cmd)
	t.Cleanup(func() { _ = exec.Command(d.tmux, "-S", d.sock, "kill-server").Run() })
	d.run("set-option", "-t", "kr", "remain-on-exit", "on") // quit can then be seen
	d.waitFor("the key table", "> Default")
	return d
}

// cli runs a keyrack command on the database (while no dashboard holds it).
func (d *tmuxDashboard) cli(stdin string, args ...string) string {
	d.t.Helper()
	cmd := exec.Command(d.bin, append([]string{"--db", d.db}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		d.t.Fatalf("keyrack %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

func (d *tmuxDashboard) run(args ...string) string {
	d.t.Helper()
	cmd := exec.Command(d.tmux, append([]string{"-S", d.sock}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		d.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// press types keypresses, in tmux's names (Enter, Escape, Home) or as text.
func (d *tmuxDashboard) press(presses ...string) {
	d.run(append([]string{"send-keys", "-t", "kr"}, presses...)...)
}

func (d *tmuxDashboard) screen() string { return d.run("capture-pane", "-p", "-t", "kr") }

// waitFor polls the screen until it shows want; the dashboard redraws
// when it has handled a keypress, so this waits on that, not on a time.
func (d *tmuxDashboard) waitFor(what, want string) string {
	d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := d.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("timed out waiting for %s (%q); screen:\n%s", what, want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// quit ends the dashboard and waits until it has let go of the database.
func (d *tmuxDashboard) quit() {
	d.t.Helper()
	d.press("q")
	deadline := time.Now().Add(10 * time.Second)
	for strings.TrimSpace(d.run("list-panes", "-t", "kr", "-F", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			d.t.Fatalf("q did not end the dashboard:\n%s", d.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestInTmux(t *testing.T) {
	bin := buildKeyrack(t)

	t.Run("RotationAsksBeforeImmediatelyAndShowsTheFamily", func(t *testing.T) {
		d := newTmuxDashboard(t, bin, 20, 80, 24)
		d.press("r")
		d.waitFor("the picker on its safe default", "> In 24 hours")
		d.press("Home", "Enter")
		s := d.waitFor("the second question", "The old key stops working now; last used never.")
		if !strings.Contains(s, "Rotate Default (") || !strings.Contains(s, "now?") {
			t.Fatalf("the confirmation does not say what happens:\n%s", s)
		}
		d.press("n")
		d.waitFor("back in the picker", "> Immediately")
		d.press("Escape")
		d.waitFor("back at the table", "> Default")

		d.press("r", "Enter") // In 24 hours
		s = d.waitFor("the new key below the old one", "> ↳ Default · ")
		old, replacement := strings.Index(s, "⚠ Default · "), strings.Index(s, "> ↳ Default · ")
		if old < 0 || old > replacement || !strings.Contains(s[old:replacement], "in 23h") {
			t.Fatalf("want the old key with \"in 23h\" directly above the new one:\n%s", s)
		}
		d.quit()
		var keys []struct {
			Name      string  `json:"name"`
			ExpiresAt *string `json:"expires_at"`
		}
		if err := json.Unmarshal([]byte(d.cli("", "keys", "list", "--json")), &keys); err != nil {
			t.Fatal(err)
		}
		expiring := 0
		for _, k := range keys {
			if k.ExpiresAt != nil {
				expiring++
			}
		}
		if len(keys) != 22 || expiring != 1 {
			t.Fatalf("%d keys, %d expiring; want 22 and 1 (backing out rotated nothing)", len(keys), expiring)
		}
	})

	t.Run("ClearingTheFilterKeepsTheCursor", func(t *testing.T) {
		d := newTmuxDashboard(t, bin, 2000, 80, 24)
		d.press("/", "service 01500", "Enter")
		d.waitFor("the filtered row", "> service 01500")
		d.press("Escape")
		s := d.waitFor("the whole list", "of 2,001")
		above, _, found := strings.Cut(s, "> service 01500")
		if !found {
			t.Fatalf("the cursor row is not on screen after clearing the filter:\n%s", s)
		}
		rows := strings.Split(strings.TrimSpace(above), "\n")
		prev := strings.Fields(rows[len(rows)-1]) // the row above it: the list scrolled to the key
		d.press("k")
		d.waitFor("the cursor one row up, not a jump", "> "+prev[0]+" "+prev[1])
	})

	t.Run("FilterOverMoreKeysThanItTestsInlineStillAnswers", func(t *testing.T) {
		d := newTmuxDashboard(t, bin, inlineRows+1000, 80, 24)
		d.press("/", "0599")
		s := d.waitFor("the matches, scanned beside the screen", `filter "0599" · 1–11 of 11`)
		if !strings.Contains(s, "> service 00599") {
			t.Fatalf("the first match is not under the cursor:\n%s", s)
		}
		d.press("BSpace") // widened: every key is scanned again
		s = d.waitFor("the wider filter's rows", `filter "059" ·`)
		if !strings.Contains(s, "> service 00599") {
			t.Fatalf("widening the filter lost the selected key:\n%s", s)
		}
	})

	t.Run("QuitDeletesTheBufferTmuxMadeOfACopiedToken", func(t *testing.T) {
		d := newTmuxDashboard(t, bin, 0, 80, 24)
		d.run("set-option", "-g", "set-clipboard", "on") // the README's advice: OSC 52 becomes a tmux buffer
		d.press("c")
		d.waitFor("the copy", "via OSC 52")
		token := d.run("show-buffer")
		if !strings.HasPrefix(token, "kr_") || len(token) != 39 {
			t.Fatalf("tmux's buffer holds %q, not the token", token)
		}
		d.quit()
		if left := d.run("list-buffers", "-F", "#{buffer_sample}"); strings.Contains(left, token) {
			t.Fatalf("the token is still in a tmux buffer after quit: %q", left)
		}
	})
}
