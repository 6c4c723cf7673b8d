package ui

import (
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/muesli/termenv"
)

// FromStorage is the Store the dashboard runs on.
var _ Store = FromStorage(nil)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// t0 is the fake clock's start: storage creates the Default key then.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// openStore opens a fresh database whose ids and tokens are the same on
// every run: a fake clock and a seeded random source.
func openStore(t testing.TB) (*storage.Store, *clock.Fake) {
	t.Helper()
	if v, ok := os.LookupEnv(storage.MasterKeyEnv); ok {
		os.Unsetenv(storage.MasterKeyEnv)
		t.Cleanup(func() { os.Setenv(storage.MasterKeyEnv, v) })
	}
	clk := clock.NewFake(t0)
	s, err := storage.Open(filepath.Join(t.TempDir(), "keyrack.db"),
		storage.Options{Clock: clk, Rand: rand.NewChaCha8([32]byte{'k', 'e', 'y', 'r', 'a', 'c', 'k'})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

// asciiRenderer renders without colours, as with NO_COLOR.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// harness drives a Model the way a tea.Program does (commands run in
// goroutines, their messages come back to Update) but from the test's
// goroutine, so that the test can look at the model between messages.
type harness struct {
	t    testing.TB
	m    *Model
	clk  *clock.Fake
	out  *testkit.Buffer
	msgs chan tea.Msg
	seen []tea.Msg
}

// newHarness shows store (a *storage.Store or a test's Store) and
// subscribes to its changes as Run does.
func newHarness(t testing.TB, store any, clk *clock.Fake, width, height int) *harness {
	t.Helper()
	st, ok := store.(Store)
	if s, isStorage := store.(*storage.Store); isStorage {
		st, ok = FromStorage(s), true
	}
	if !ok {
		t.Fatalf("%T is not a Store", store)
	}
	out := &testkit.Buffer{}
	m := New(Options{Store: st, Actor: "alice@example.com", Clock: clk, Renderer: asciiRenderer(),
		Clipboard: ClipboardOSC52, Output: out, Width: width, Height: height})
	m.env.clip = oscClipboard{w: out} // never the tmux of whoever runs the tests
	h := &harness{t: t, m: m, clk: clk, out: out, msgs: make(chan tea.Msg, 1000)}
	changes, stop := st.Watch(), make(chan struct{})
	go forward(func(msg tea.Msg) {
		select {
		case h.msgs <- msg:
		case <-stop:
		}
	}, changes, nil, stop)
	t.Cleanup(func() { close(stop); changes.Close(); m.shutdown() })
	h.run(m.Init())
	h.waitFor("keys loaded", func() bool { return !m.loading && h.usageSettled() })
	return h
}

// usageSettled reports whether the details panel shows the selected key's
// usage (or nothing is selected).
func (h *harness) usageSettled() bool {
	sel, ok := h.m.table.selected()
	return !ok || !h.m.usage.loading && h.m.usage.id == sel.ID && !h.m.usage.hour.IsZero()
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { h.msgs <- cmd() }()
	}
}

func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	}
	h.seen = append(h.seen, msg)
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// press sends keypresses: names such as "enter", "esc", "up", "space",
// or text.
func (h *harness) press(presses ...string) {
	for _, p := range presses {
		h.deliver(keyMsg(p))
	}
}

func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp,
		"down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "space": tea.KeySpace,
		"tab": tea.KeyTab, "backspace": tea.KeyBackspace, "ctrl+c": tea.KeyCtrlC, "ctrl+u": tea.KeyCtrlU, "pgdown": tea.KeyPgDown,
		"end": tea.KeyEnd, "home": tea.KeyHome}
	if t, ok := named[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// waitFor delivers messages until cond holds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case msg := <-h.msgs:
			h.deliver(msg)
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.m.View())
		}
	}
}

// waitSeen waits until Update has received a message that match accepts.
func (h *harness) waitSeen(what string, match func(tea.Msg) bool) {
	h.t.Helper()
	h.waitFor(what, func() bool {
		for _, m := range h.seen {
			if match(m) {
				return true
			}
		}
		return false
	})
}

// advance moves the fake clock and waits until the root has seen the
// refresh tick of the new time, so that the timers due by then have fired.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.clk.Advance(d)
	now := h.clk.Now()
	h.waitFor("the clock tick at "+now.Format(time.TimeOnly), func() bool { return !h.m.now.Before(now) })
}

func (h *harness) screen() string { return h.m.View() }

// pressLoaded sends keypresses one by one, each once the view the one
// before opened has read its data.
func (h *harness) pressLoaded(presses ...string) {
	h.t.Helper()
	for _, p := range presses {
		h.press(p)
		h.waitLoaded()
	}
}

// wantGolden checks that the screen fills width × height exactly and
// matches testdata/name.golden.
func (h *harness) wantGolden(name string, width, height int) {
	h.t.Helper()
	got := h.screen()
	checkFrame(h.t, got, width, height)
	golden(h.t, name, got)
}

func (h *harness) wantScreen(substr string) {
	h.t.Helper()
	h.waitFor("screen showing "+substr, func() bool { return strings.Contains(h.screen(), substr) })
}

// selectKey moves the cursor to the key with id.
func (h *harness) selectKey(id string) {
	h.t.Helper()
	for i := range h.m.table.len() {
		if k, _ := h.m.table.at(i); k.ID == id {
			h.m.table.moveTo(i)
			h.run(h.m.syncUsage()) // as after a keypress
			return
		}
	}
	h.t.Fatalf("no key %s in the table", id)
}

// mustKeys lists the keys of storage in display order.
func mustKeys(t testing.TB, s *storage.Store) []model.Key {
	t.Helper()
	sn, err := s.Keys()
	if err != nil {
		t.Fatal(err)
	}
	var keys []model.Key
	sn.Ascend(0, func(_ int, k model.Key) bool { keys = append(keys, k); return true })
	return keys
}
