package ui

import (
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
)

// waitOutput waits until the program's output satisfies cond.
func waitOutput(t *testing.T, out *testkit.Buffer, what string, cond func(string) bool) {
	t.Helper()
	if !testkit.Poll(5*time.Second, func() bool { return cond(out.String()) }) {
		t.Fatalf("timed out waiting for %s; output:\n%q", what, out.String())
	}
}

func TestRunShowsChangesFromElsewhereAndClearsClipboardOnQuit(t *testing.T) {
	s, clk := openStore(t)
	in, typing := io.Pipe()
	out := &testkit.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), Options{Store: FromStorage(s), Actor: "alice", Clock: clk, Renderer: asciiRenderer(),
			Clipboard: ClipboardOSC52, Width: 80, Height: 24}, in, out)
	}()
	waitOutput(t, out, "the first frame", func(o string) bool { return strings.Contains(o, "Default") })
	if !strings.Contains(out.String(), "\x1b[?1003h") {
		t.Error("mouse motion without a button (hover) is not requested from the terminal")
	}

	// Another session (or the scheduler) changes storage: the change shows.
	if _, _, err := s.Create("bob", "Made elsewhere", model.AllPermissions()); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, out, "the other session's key", func(o string) bool { return strings.Contains(o, "Made elsewhere") })

	tok, _ := s.Reveal("test", mustKeys(t, s)[1].ID)
	io.WriteString(typing, "jc")
	set := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(tok.Reveal())) + "\a"
	waitOutput(t, out, "the copy", func(o string) bool { return strings.Contains(o, set) })
	io.WriteString(typing, "q")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after q")
	}
	o := out.String()
	if !strings.Contains(o[strings.Index(o, set):], "\x1b]52;c;\a") {
		t.Fatal("the clipboard was not cleared on quit")
	}
	if n := s.Subscribers(); n != 0 {
		t.Fatalf("%d subscriptions left open", n)
	}
}

func TestRunEndsWithItsContext(t *testing.T) {
	s, clk := openStore(t)
	in, _ := io.Pipe()
	out := &testkit.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Store: FromStorage(s), Clock: clk, Renderer: asciiRenderer(), Clipboard: ClipboardOSC52}, in, out)
	}()
	waitOutput(t, out, "the first frame", func(o string) bool { return strings.Contains(o, "Default") })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end with its context")
	}
}
