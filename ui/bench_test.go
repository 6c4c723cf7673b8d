package ui

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/keyrack/keyrack/clock"
	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// benchModel is the dashboard the benchmarks measure: 100×30 on store,
// its keys loaded. The caller shuts it down.
func benchModel(store Store, clk clock.Clock) *Model {
	m := New(Options{Store: store, Actor: "bench", Clock: clk, Renderer: asciiRenderer(),
		Clipboard: ClipboardOSC52, Output: &testkit.Buffer{}, Width: 100, Height: 30})
	m.Update(m.env.loadKeys()())
	return m
}

// loadedModel is a dashboard showing n keys from memory, the cursor in
// the middle.
func loadedModel(b *testing.B, n int) *Model {
	m := benchModel(newMemStore(n, t0), clock.NewFake(t0))
	b.Cleanup(m.shutdown)
	m.table.moveTo(n / 2)
	return m
}

func benchView(b *testing.B, n int) {
	m := loadedModel(b, n)
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkView10(b *testing.B)    { benchView(b, 10) }
func BenchmarkView10000(b *testing.B) { benchView(b, 10000) }

// benchCursorMove measures one key press down (or up at the ends) and the
// frame that follows it.
func benchCursorMove(b *testing.B, n int) {
	m := loadedModel(b, n)
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	dir := down
	for b.Loop() {
		if m.table.cursor == m.table.len()-1 {
			dir = up
		} else if m.table.cursor == 0 {
			dir = down
		}
		m.Update(dir)
		_ = m.View()
	}
}

func BenchmarkCursorMove10(b *testing.B)    { benchCursorMove(b, 10) }
func BenchmarkCursorMove10000(b *testing.B) { benchCursorMove(b, 10000) }

// storeWith opens a real database holding n keys.
func storeWith(b *testing.B, n int) (*storage.Store, *clock.Fake) {
	s, clk := openStore(b)
	names := make([]string, n-1)
	for i := range names {
		names[i] = fmt.Sprintf("service %06d", i)
	}
	if _, _, err := s.CreateMany("bench", names, model.AllPermissions()); err != nil {
		b.Fatal(err)
	}
	return s, clk
}

// benchFirstFrame measures start to first frame on a real database of n
// keys, from cold on every iteration: the database opened, the key list
// loaded from the file, New and the first View with the keys on screen.
func benchFirstFrame(b *testing.B, n int) {
	built, clk := storeWith(b, n)
	path := built.Path()
	built.Close()
	for b.Loop() {
		s, err := storage.Open(path, storage.Options{Clock: clk})
		if err != nil {
			b.Fatal(err)
		}
		m := benchModel(FromStorage(s), clk)
		if m.table.total() != n {
			b.Fatalf("%d keys, want %d", m.table.total(), n)
		}
		_ = m.View()
		m.shutdown()
		s.Close()
	}
}

// benchChange measures what one change elsewhere costs a dashboard of n
// keys with the cursor in the middle: the snapshot, the table keeping the
// cursor on its key, and the next frame. It should not grow with n.
func benchChange(b *testing.B, n int) {
	s, clk := storeWith(b, n)
	m := benchModel(FromStorage(s), clk)
	b.Cleanup(m.shutdown)
	m.table.moveTo(n / 2)
	for b.Loop() {
		m.Update(m.env.loadKeys()())
		_ = m.View()
	}
}

func BenchmarkChange1000(b *testing.B)   { benchChange(b, 1000) }
func BenchmarkChange100000(b *testing.B) { benchChange(b, 100000) }

func BenchmarkFirstFrame10(b *testing.B)    { benchFirstFrame(b, 10) }
func BenchmarkFirstFrame10000(b *testing.B) { benchFirstFrame(b, 10000) }

// BenchmarkFirstFrameMem10000 is the dashboard's own share of the first
// frame: the same as benchFirstFrame with the keys already in memory.
func BenchmarkFirstFrameMem10000(b *testing.B) {
	s := newMemStore(10000, t0)
	for b.Loop() {
		m := benchModel(s, clock.NewFake(t0))
		_ = m.View()
		m.shutdown()
	}
}

// filterModel is a dashboard on a real database of n keys.
func filterModel(b *testing.B, n int) *Model {
	s, clk := storeWith(b, n)
	m := benchModel(FromStorage(s), clk)
	b.Cleanup(m.shutdown)
	return m
}

// BenchmarkFirstFilterKeystroke100000 measures what the dashboard's loop
// spends on the first keystroke of a filter over 100,000 keys, and on the
// esc that clears it: the time the screen cannot answer. The scan itself
// runs in the command the keystroke returns (BenchmarkFilterScan100000).
func BenchmarkFirstFilterKeystroke100000(b *testing.B) {
	m := filterModel(b, 100000)
	slash := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")}
	m.Update(slash)
	for b.Loop() {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("9")})
		m.Update(tea.KeyMsg{Type: tea.KeyEsc})
		m.Update(slash)
	}
}

// BenchmarkFilterScan100000 is the scan a first keystroke starts over
// 100,000 keys.
func BenchmarkFilterScan100000(b *testing.B) {
	q := filterModel(b, 100000).table.rowsQuery
	q.filter = "9"
	for b.Loop() {
		computeRows(context.Background(), q, nil)
	}
}
